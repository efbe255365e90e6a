import { tf, type Tensor } from '@pixelrepa/tensor';

/**
 * `x / max(‖x‖₂, eps)` over the last axis (torch `F.normalize`). [..., D] → [..., D]
 * The norm is sqrt(sum(x²)): the same values and gradients as `tf.norm` (which squares through
 * `pow(abs(x), 2)`, an exact square too) without its Abs, Pow and Cast kernels and their gradients.
 */
export function normalize(x: Tensor, eps = 1e-12): Tensor {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), -1, true)), eps)));
}

/**
 * Cosine similarity over the last axis, each side divided by its clamped norm first (torch ≥ 1.12's
 * `F.cosine_similarity`, eps 1e-8). a, b: [..., D] → [...]
 */
export function cosineSimilarity(a: Tensor, b: Tensor, eps = 1e-8): Tensor {
  return tf.tidy(() => tf.sum(tf.mul(normalize(a, eps), normalize(b, eps)), -1));
}
