import { tf, type Tensor } from '@pixelrepa/tensor';

/** adaLN modulation `x·(1 + scale) + shift`, per sample. x: [B, N, D], shift/scale: [B, D] */
export function modulate(x: Tensor, shift: Tensor, scale: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.mul(x, tf.add(1, tf.expandDims(scale, 1))), tf.expandDims(shift, 1)));
}

/** Residual with a per-sample gate: `x + gate·y`. x, y: [B, N, D], gate: [B, D] */
export function gatedResidual(x: Tensor, gate: Tensor, y: Tensor): Tensor {
  return tf.tidy(() => tf.add(x, tf.mul(tf.expandDims(gate, 1), y)));
}
