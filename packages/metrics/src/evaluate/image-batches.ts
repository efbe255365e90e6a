import { tf, type Tensor } from '@pixelrepa/tensor';

/**
 * A batch of RGB images as the metrics take them: an int32 tensor of 0…255 values (TF.js has no
 * uint8) or plain bytes, both [B, H, W, 3] NHWC. `@pixelrepa/data`'s `Uint8Batch` fits the second
 * form. Tensors stay owned by the caller.
 */
export type ImageBatch = Tensor | { images: Uint8Array; shape: [number, number, number, number] | number[] };

export type ImageSource = AsyncIterable<ImageBatch> | Iterable<ImageBatch>;

/**
 * Checks a batch and returns it as an int32 NHWC tensor (`owned`: whether the caller of this
 * function must dispose it). `size` is the [H, W] of the first batch: every image must match it.
 */
export async function imageBatchTensor(batch: ImageBatch, index: number, size: [number, number] | undefined): Promise<{ tensor: Tensor; owned: boolean }> {
  const isTensor = batch instanceof tf.Tensor;
  const shape = isTensor ? batch.shape : batch.shape;
  if (shape.length !== 4 || shape[3] !== 3) {
    throw new Error(`image batch ${index} has shape [${shape.join(', ')}]; expected RGB images [B, H, W, 3] (NHWC)`);
  }
  if (size && (shape[1] !== size[0] || shape[2] !== size[1])) {
    throw new Error(
      `image batch ${index} holds ${shape[1]}×${shape[2]} images but earlier batches were ${size[0]}×${size[1]}: every image of one evaluation must have the same size (crop or resize them first)`,
    );
  }
  if (!isTensor) {
    if (!(batch.images instanceof Uint8Array) || batch.images.length !== shape[0] * shape[1] * shape[2] * 3) {
      throw new Error(`image batch ${index}: images must be a Uint8Array of ${shape[0]}·${shape[1]}·${shape[2]}·3 bytes`);
    }
    return { tensor: tf.tensor4d(Int32Array.from(batch.images), shape as [number, number, number, number], 'int32'), owned: true };
  }
  if (batch.dtype !== 'int32') {
    throw new Error(
      `image batch ${index} is ${batch.dtype}; the metrics take uint8 images (an int32 tensor of 0…255). Quantise samples first: round(clip((x + 1) / 2 · 255))`,
    );
  }
  const [low, high] = tf.tidy(() => [tf.min(batch), tf.max(batch)]);
  const [min, max] = [(await low.data())[0], (await high.data())[0]];
  tf.dispose([low, high]);
  if (min < 0 || max > 255) throw new Error(`image batch ${index} has values in [${min}, ${max}]; uint8 images must lie in [0, 255]`);
  return { tensor: batch, owned: false };
}
