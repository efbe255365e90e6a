import { tf, type Tensor } from '@pixelrepa/tensor';

/**
 * Cuts images into patch vectors in (row, col, channel) order — the order of a p×p conv kernel
 * flattened as [kh, kw, c]. images: [B, H, W, C] → [B, (H/p)·(W/p), p·p·C]
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
