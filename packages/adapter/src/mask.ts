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
    // keep ∈ {0, 1}: tokens·keep + maskToken·(1 − keep) selects exactly (for finite values) like
    // torch.where, by broadcasting. tf.where / broadcastTo would run Tile, whose gradient in
    // tfjs is one slice and one add per copy (B·N of them for the mask token).
    const keep = tf.cast(tf.greater(tf.reshape(u, [B, N, 1]), ratio), tokens.dtype);
    const masked = tf.mul(tf.reshape(maskToken, [1, 1, D]), tf.sub(1, keep));
    return tf.add(tf.mul(tokens, keep), masked);
  });
}
