import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { batchLabelsTensor, batchToFloatTensor, batchToUint8Tensor } from './batch-tensors.js';
import type { Uint8Batch } from './loader/batch.js';
import { DataLoader } from './loader/data-loader.js';
import { proceduralDataset } from './procedural/procedural-dataset.js';

const batch: Uint8Batch = {
  images: Uint8Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => [0, 255, 128, 1][i % 4] + (i % 4 === 3 ? i : 0)),
  shape: [2, 2, 3, 3],
  labels: Int32Array.from([4, 1]),
  indices: Int32Array.from([10, 11]),
};

describeEachBackend('batch tensors', () => {
  it('maps bytes to float32 [−1, 1] as (v / 255) · 2 − 1 in float32, NHWC', async () => {
    const before = liveTensors();
    const x = batchToFloatTensor(batch);
    expect(x.shape).toEqual([2, 2, 3, 3]);
    expect(x.dtype).toBe('float32');
    const values = await x.data();
    batch.images.forEach((v, i) => expect(values[i]).toBe(Math.fround(Math.fround(v / 255) * 2 - 1)));
    expect(values[0]).toBe(-1);
    expect(values[1]).toBe(1);
    x.dispose();
    expect(liveTensors()).toBe(before);
  });

  it('keeps bytes as int32 and labels as int32, without leaking', async () => {
    const before = liveTensors();
    const images = batchToUint8Tensor(batch);
    const labels = batchLabelsTensor(batch);
    expect([images.dtype, labels.dtype]).toEqual(['int32', 'int32']);
    expect(Array.from(await images.data())).toEqual(Array.from(batch.images));
    expect(Array.from(await labels.data())).toEqual([4, 1]);
    tf.dispose([images, labels]);
    expect(liveTensors()).toBe(before);
  });

  it('leaves the live tensor count unchanged over an epoch of converted batches', async () => {
    const loader = new DataLoader(proceduralDataset({ imageSize: 8, length: 40 }), { batchSize: 8, flip: true });
    const before = liveTensors();
    for (let epoch = 0; epoch < 2; epoch++) {
      for await (const batch of loader.epoch(epoch)) {
        const x = batchToFloatTensor(batch);
        const y = batchLabelsTensor(batch);
        const mean = tf.tidy(() => tf.mean(x));
        expect(Math.abs((await mean.data())[0])).toBeLessThanOrEqual(1);
        tf.dispose([x, y, mean]);
        expect(liveTensors()).toBe(before);
      }
    }
  });
});
