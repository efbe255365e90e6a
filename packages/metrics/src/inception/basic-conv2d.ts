import { tf, type Tensor } from '@pixelrepa/tensor';
import { BatchNorm2d, Conv2d, Module, type Conv2dConfig } from '@pixelrepa/nn';

/** The TF Inception graph's batch-norm epsilon (torch-fidelity's `BatchNorm2d(eps=0.001)`). */
export const INCEPTION_BATCH_NORM_EPS = 1e-3;

/**
 * torch-fidelity's `BasicConv2d`: conv (no bias) → BatchNorm2d (eval, eps 0.001) → ReLU.
 * Children `conv` and `bn` carry the checkpoint names.
 */
export class BasicConv2d extends Module {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;

  constructor(config: Conv2dConfig) {
    super();
    this.conv = this.addModule('conv', new Conv2d(config));
    this.bn = this.addModule('bn', new BatchNorm2d(config.outChannels, INCEPTION_BATCH_NORM_EPS));
  }

  /**
   * The batch norm is folded into the filter and a bias (`W·scale`, `shift`) so that one fused
   * conv + bias + ReLU kernel runs; folding costs one pass over the weights per call.
   * x: [B, H, W, I] → [B, H', W', O]
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const { scale, shift } = this.bn.affine();
      const filter = tf.mul(this.conv.weight.value, scale) as tf.Tensor4D;
      return tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter,
        strides: this.conv.stride,
        pad: this.conv.tfPadding,
        bias: shift,
        activation: 'relu',
      });
    });
  }
}
