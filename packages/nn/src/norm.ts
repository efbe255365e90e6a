import { rmsNorm, tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { init } from './init.js';

/** Root-mean-square norm over the last axis (LlamaRMSNorm): `w · x / sqrt(mean(x²) + eps)`. */
export class RMSNorm extends Module {
  readonly weight: Parameter;
  constructor(
    readonly size: number,
    readonly eps = 1e-6,
  ) {
    super();
    this.weight = this.addParameter('weight', init.ones([size]));
  }

  /** x: [..., D] → [..., D] */
  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.weight.value, this.eps); // one fused kernel each way on wasm
  }
}

/** LayerNorm over the last axis with an affine weight and bias (PyTorch `nn.LayerNorm`). */
export class LayerNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(
    readonly size: number,
    readonly eps = 1e-5,
  ) {
    super();
    this.weight = this.addParameter('weight', init.ones([size]));
    this.bias = this.addParameter('bias', init.zeros([size]));
  }

  /** x: [..., D] → [..., D] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const mean = tf.mean(x, -1, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), -1, true);
      const normalised = tf.mul(centred, tf.rsqrt(tf.add(variance, this.eps)));
      return tf.add(tf.mul(normalised, this.weight.value), this.bias.value);
    });
  }
}
