import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { init } from './init.js';
import type { Parameter } from './parameter.js';

/**
 * PyTorch `BatchNorm2d` in eval mode (the only mode a frozen metric network needs):
 * `y = (x − running_mean) / sqrt(running_var + eps) · weight + bias` per channel (last axis).
 * `num_batches_tracked` is not kept: it has no effect in eval mode.
 */
export class BatchNorm2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly running_mean: Parameter;
  readonly running_var: Parameter;

  constructor(
    readonly channels: number,
    readonly eps = 1e-5,
  ) {
    super();
    this.weight = this.addParameter('weight', init.ones([channels]), { trainable: false });
    this.bias = this.addParameter('bias', init.zeros([channels]), { trainable: false });
    this.running_mean = this.addParameter('running_mean', init.zeros([channels]), { trainable: false });
    this.running_var = this.addParameter('running_var', init.ones([channels]), { trainable: false });
  }

  /** The per-channel affine map the layer applies: `y = x · scale + shift`. scale, shift: [C] */
  affine(): { scale: Tensor; shift: Tensor } {
    return tf.tidy(() => {
      const scale = tf.mul(this.weight.value, tf.rsqrt(tf.add(this.running_var.value, this.eps)));
      const shift = tf.sub(this.bias.value, tf.mul(this.running_mean.value, scale));
      return { scale, shift };
    });
  }

  /** x: [..., C] → [..., C] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const { scale, shift } = this.affine();
      return tf.add(tf.mul(x, scale), shift);
    });
  }
}
