import { tf, type Tensor } from '@pixelrepa/tensor';

/** `x / max(‖x‖₂, eps)` over the last axis (torch `F.normalize`). [..., D] → [..., D] */
export function normalize(x: Tensor, eps = 1e-12): Tensor {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', -1, true), eps)));
}

/**
 * Cosine similarity over the last axis, each side divided by its clamped norm first (torch ≥ 1.12's
 * `F.cosine_similarity`, eps 1e-8). a, b: [..., D] → [...]
 */
export function cosineSimilarity(a: Tensor, b: Tensor, eps = 1e-8): Tensor {
  return tf.tidy(() => tf.sum(tf.mul(normalize(a, eps), normalize(b, eps)), -1));
}
