import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import type { Layout, Parameter } from './parameter.js';
import { init, tfRandomSource, type RandomSource } from './init.js';

export interface LinearConfig {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
  random?: RandomSource;
  /** How the weight is stored in PyTorch when it is not a plain Linear (e.g. a conv applied to patches). */
  weightLayout?: Layout;
}

/**
 * `y = x Wᵀ + b` with `weight` [out, in] exactly as PyTorch stores it (the transpose is folded into
 * the matmul kernel, so no conversion is needed at load).
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias?: Parameter;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor({ inFeatures, outFeatures, bias = true, random = tfRandomSource, weightLayout }: LinearConfig) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = this.addParameter('weight', init.linearDefault(random, [outFeatures, inFeatures]), { layout: weightLayout });
    if (bias) this.bias = this.addParameter('bias', init.zeros([outFeatures]));
  }

  /** x: [..., in] → [..., out] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const shape = x.shape;
      const flat = shape.length === 2 ? x : tf.reshape(x, [-1, this.inFeatures]);
      let y = tf.matMul(flat as tf.Tensor2D, this.weight.value as tf.Tensor2D, false, true);
      if (this.bias) y = tf.add(y, this.bias.value);
      return shape.length === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), this.outFeatures]);
    });
  }
}
