import { tf, type Tensor } from '@pixelrepa/tensor';

export const imagenetMean = [0.485, 0.456, 0.406] as const;
export const imagenetStd = [0.229, 0.224, 0.225] as const;

export interface PreprocessOptions {
  /** The encoder's input side; images of another size are resized bilinearly. */
  size: number;
  mean?: readonly number[];
  std?: readonly number[];
}

/**
 * PixelREPA's encoder input: [−1, 1] → [0, 1] → (x − mean) / std, then a bilinear resize
 * (half-pixel centres, no antialiasing: PyTorch's `align_corners=False`) only when the size differs.
 * images: [B, H, W, 3] → [B, size, size, 3]
 */
export function preprocessForEncoder(images: Tensor, { size, mean = imagenetMean, std = imagenetStd }: PreprocessOptions): Tensor {
  if (images.rank !== 4 || images.shape[3] !== mean.length) {
    throw new Error(`expected images [B, H, W, ${mean.length}] in [−1, 1], got [${images.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const unit = tf.add(tf.mul(images, 0.5), 0.5);
    const normalised = tf.div(tf.sub(unit, tf.tensor1d([...mean])), tf.tensor1d([...std]));
    const [, H, W] = images.shape;
    if (H === size && W === size) return normalised;
    return tf.image.resizeBilinear(normalised as tf.Tensor4D, [size, size], false, true);
  });
}
