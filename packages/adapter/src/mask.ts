import { tf, type Tensor } from '@pixelrepa/tensor';

/**
 * Replaces tokens by a learned mask token: a token is KEPT where its uniform draw `u > ratio`, so
 * about `ratio` of the tokens are masked, independently per token (PixelREPA §3, ratio 0.2).
 * tokens: [B, N, D], maskToken: [1, 1, D] (or [D]), u: [B, N] uniform draws → [B, N, D]
 */
export function maskTokens(tokens: Tensor, maskToken: Tensor, u: Tensor, ratio: number): Tensor {
  if (!(ratio >= 0 && ratio < 1)) throw new Error(`mask ratio must be in [0, 1), got ${ratio}`);
  const [B, N, D] = tokens.shape;
  if (u.size !== B * N) throw new Error(`mask draws must have one value per token (${B}×${N}), got [${u.shape.join(', ')}]`);
  return tf.tidy(() => {
    const keep = tf.greater(tf.reshape(u, [B, N, 1]), ratio);
    const mask = tf.broadcastTo(tf.reshape(maskToken, [1, 1, D]), [B, N, D]);
    return tf.where(tf.broadcastTo(keep, [B, N, D]), tokens, mask);
  });
}
