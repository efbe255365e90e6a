import type { Sample } from './sample-source.js';

/** A batch of images as plain bytes, ready to be copied into any tensor library. */
export interface Uint8Batch {
  /** [B, H, W, 3] uint8, NHWC */
  images: Uint8Array;
  shape: [batch: number, height: number, width: number, channels: 3];
  /** [B] class indices */
  labels: Int32Array;
  /** [B] dataset indices the images came from */
  indices: Int32Array;
}

/** Packs samples of one size into a batch. samples: B × [H, W, 3] → [B, H, W, 3] */
export function packBatch(samples: ReadonlyArray<Sample & { index: number }>): Uint8Batch {
  if (samples.length === 0) throw new Error('packBatch: expected at least one sample');
  const { width, height } = samples[0].image;
  const imageBytes = width * height * 3;
  const images = new Uint8Array(samples.length * imageBytes);
  const labels = new Int32Array(samples.length);
  const indices = new Int32Array(samples.length);
  samples.forEach((sample, i) => {
    if (sample.image.width !== width || sample.image.height !== height) {
      throw new Error(
        `packBatch: sample ${sample.index} is ${sample.image.width}×${sample.image.height} but the batch is ${width}×${height}; ` +
          'give the source a fixed crop size (e.g. imageFolder(root, {size}))',
      );
    }
    images.set(sample.image.data, i * imageBytes);
    labels[i] = sample.label;
    indices[i] = sample.index;
  });
  return { images, shape: [samples.length, height, width, 3], labels, indices };
}
