import { tf, type Tensor } from '@pixelrepa/tensor';

/** adaLN modulation `x·(1 + scale) + shift`, per sample. x: [B, N, D], shift/scale: [B, D] */
export function modulate(x: Tensor, shift: Tensor, scale: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.mul(x, tf.add(1, tf.expandDims(scale, 1))), tf.expandDims(shift, 1)));
}

/** Residual with a per-sample gate: `x + gate·y`. x, y: [B, N, D], gate: [B, D] */
export function gatedResidual(x: Tensor, gate: Tensor, y: Tensor): Tensor {
  return tf.tidy(() => tf.add(x, tf.mul(tf.expandDims(gate, 1), y)));
}

/**
 * In-context class tokens prepended to the image tokens: `y_emb + posemb[i]` for each of the
 * `posemb`'s L positions (a broadcasting add, not tile + add: tfjs differentiates Tile with a
 * slice and an add per copy). x: [B, N, D], yEmb: [B, D], posemb: [1, L, D] → [B, L + N, D]
 */
export function prependInContext(x: Tensor, yEmb: Tensor, posemb: Tensor): Tensor {
  return tf.tidy(() => tf.concat([tf.add(tf.expandDims(yEmb, 1), posemb), x], 1));
}

/** The image tokens again, without the `count` in-context tokens in front. x: [B, count + N, D] → [B, N, D] */
export function stripInContext(x: Tensor, count: number): Tensor {
  return tf.slice(x, [0, count, 0], [-1, -1, -1]);
}
