import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';

/** SiLU (swish): x·σ(x). */
export function silu(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** Exact GELU (erf form), as PyTorch's default `nn.GELU`. */
export function gelu(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** A parameter-free module wrapping an activation, so `Sequential` indices match PyTorch's. */
export class Activation extends Module {
  constructor(readonly fn: (x: Tensor) => Tensor) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

export const SiLU = () => new Activation(silu);
export const GELU = () => new Activation(gelu);
