import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { allclose, describeEachBackend, liveTensors, loadCase, itWithFixtures } from '@pixelrepa/tensor/testing';
import { resizeBilinearTf1 } from './resize-tf1.js';

describeEachBackend('TF1 bilinear resize', () => {
  itWithFixtures("reproduces torch-fidelity's 64 → 299 resize bit for bit", ['inception-fid-forward'], async () => {
    const fixture = loadCase('inception-fid-forward');
    const raw = fixture.inputs().get('images')!;
    const x = tf.transpose(tf.tensor(Int32Array.from(raw.data as Uint8Array), raw.shape, 'int32'), [0, 2, 3, 1]);
    const before = liveTensors();
    const resized = resizeBilinearTf1(x, [299, 299]);
    expect(liveTensors()).toBe(before + 1);
    const nchw = tf.transpose(resized, [0, 3, 1, 2]);
    const report = allclose(await nchw.data(), fixture.expected().get('resized')!.data as Float32Array, { atol: 0, rtol: 0 });
    expect(report.ok, report.message).toBe(true);
    tf.dispose([x, resized, nchw]);
  });

  it('samples at i·(in/out) with no half-pixel offset', async () => {
    // One row 0, 10, 20, 30 stretched to 8: positions 0, .5, 1, …, 3.5 (the last clamps to 30).
    const x = tf.tensor4d([0, 10, 20, 30], [1, 1, 4, 1]);
    const y = resizeBilinearTf1(x, [1, 8]);
    expect(Array.from(await y.data())).toEqual([0, 5, 10, 15, 20, 25, 30, 30]);
    tf.dispose([x, y]);
  });

  it('is the identity at the same size', async () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 3 * 5 * 3 }, (_, i) => i % 256),
      [2, 3, 5, 3],
      'int32',
    );
    const y = resizeBilinearTf1(x, [3, 5]);
    expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
    tf.dispose([x, y]);
  });
});
