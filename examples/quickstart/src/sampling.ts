import { tf, type Rng, type Tensor } from '@pixelrepa/tensor';
import { sample, toUint8Images, type JiT } from '@pixelrepa/jit';

export interface SampleSettings {
  steps: number;
  cfg: number;
  interval: [number, number];
  method: 'heun' | 'euler';
  noiseScale: number;
}

/**
 * Samples `labels` in batches, calling `consume` with each batch of float images [b, H, W, 3]
 * (disposed afterwards) and `onImages` with the running count.
 */
export async function sampleInBatches(
  model: JiT,
  labels: number[],
  settings: SampleSettings,
  random: Rng,
  consume: (images: Tensor) => Promise<void>,
  { batch = 50, onImages }: { batch?: number; onImages?: (done: number) => void } = {},
): Promise<void> {
  for (let start = 0; start < labels.length; start += batch) {
    const chunk = labels.slice(start, start + batch);
    const y = tf.tensor1d(chunk, 'int32');
    const images = sample(model, { labels: y, random, ...settings, interval: settings.interval });
    try {
      await consume(images);
    } finally {
      tf.dispose([y, images]);
    }
    onImages?.(Math.min(start + batch, labels.length));
  }
}

/** Float images → uint8 pixel values (plain array, NHWC). */
export async function toPixels(images: Tensor): Promise<Int32Array> {
  const pixels = toUint8Images(images);
  const data = (await pixels.data()) as Int32Array;
  pixels.dispose();
  return data;
}
