import { tf, type Tensor } from '@pixelrepa/tensor';
import type { Layout } from './parameter.js';

/**
 * Cuts NHWC images into patch vectors in (row, col, channel) order — the order of a p×p conv
 * kernel flattened as [kh, kw, c]. images: [B, H, W, C] → [B, (H/p)·(W/p), p·p·C]
 */
export function patchify(images: Tensor, p: number): Tensor {
  return tf.tidy(() => {
    const [B, H, W, C] = images.shape;
    const h = H / p;
    const w = W / p;
    // [B·h, p, w, p·C] → [B·h, w, p, p·C]: rank-4 transposes only (every backend has them).
    const rows = tf.reshape(images, [B * h, p, w, p * C]);
    return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [B, h * w, p * p * C]);
  });
}

/** Inverse of `patchify` for a square grid. x: [B, h·w, p·p·C] → [B, h·p, w·p, C] */
export function unpatchify(x: Tensor, p: number, channels: number): Tensor {
  return tf.tidy(() => {
    const [B, N] = x.shape;
    const h = Math.round(Math.sqrt(N));
    if (h * h !== N) throw new Error(`unpatchify needs a square token grid, got ${N} tokens`);
    const rows = tf.reshape(x, [B * h, h, p, p * channels]);
    return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [B, h * p, h * p, channels]);
  });
}

/**
 * A p×p stride-p conv stored OIHW [O, C, p, p] in PyTorch ↔ the [O, p·p·C] matrix that multiplies
 * `patchify` vectors; give it to a `Linear` as `weightLayout` (converted once, at load and save).
 */
export function convPatchLayout(channels: number, p: number): Layout {
  return {
    fromTorch: (w) => tf.tidy(() => tf.reshape(tf.transpose(w, [0, 2, 3, 1]), [w.shape[0], p * p * channels])),
    toTorch: (w) => tf.tidy(() => tf.transpose(tf.reshape(w, [w.shape[0], p, p, channels]), [0, 3, 1, 2])),
    torchShape: ([o]) => [o, channels, p, p],
  };
}

/** A 1×1 conv weight [O, I, 1, 1] ↔ a Linear's [O, I] matrix. */
export const pointwiseConvLayout: Layout = {
  fromTorch: (w) => tf.reshape(w, [w.shape[0], w.shape[1]!]),
  toTorch: (w) => tf.reshape(w, [w.shape[0], w.shape[1]!, 1, 1]),
  torchShape: ([o, i]) => [o, i, 1, 1],
};
