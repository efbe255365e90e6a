import { createRng, rngFromState, tf, type Tensor } from '@pixelrepa/tensor';

/**
 * The initial noise of each image from (seed, image index) alone, so that a sample set split
 * across processes or batches draws exactly the noise one process draws. Image i's stream is
 * keyed by block i of the seed's Philox stream (as `fork` keys a stream), a pure function of
 * both numbers. Returns standard normal float32 [B, H, W, C] for `indices` [B].
 *
 * @example imageNoise(0, [8, 9, 10], [256, 256, 3]) // rows equal imageNoise(0, [9], …)[0] etc.
 */
export function imageNoise(seed: number, indices: readonly number[], [height, width, channels]: readonly [number, number, number]): Tensor {
  const { key } = createRng(seed).getState();
  const size = height * width * channels;
  const values = new Float32Array(indices.length * size);
  indices.forEach((index, row) => {
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`image indices are whole numbers ≥ 0, got ${index}`);
    const base = rngFromState({ algorithm: 'philox4x32-10', key, counter: [index % 2 ** 32, Math.floor(index / 2 ** 32)] });
    values.set(base.fork().stream.normal(size), row * size);
  });
  return tf.tensor4d(values, [indices.length, height, width, channels]);
}
