import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { gelu } from './activations.js';
import type { RandomSource } from './init.js';

export interface MlpConfig {
  inFeatures: number;
  hiddenFeatures: number;
  outFeatures?: number;
  activation?: (x: Tensor) => Tensor;
  random?: RandomSource;
}

/** Two-layer MLP `fc2(act(fc1(x)))` (timm's `Mlp`; GELU by default). */
export class Mlp extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  private readonly activation: (x: Tensor) => Tensor;

  constructor({ inFeatures, hiddenFeatures, outFeatures = inFeatures, activation = gelu, random }: MlpConfig) {
    super();
    this.activation = activation;
    this.fc1 = this.addModule('fc1', new Linear({ inFeatures, outFeatures: hiddenFeatures, random }));
    this.fc2 = this.addModule('fc2', new Linear({ inFeatures: hiddenFeatures, outFeatures, random }));
  }

  /** x: [..., Din] → [..., Dout] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => this.fc2.forward(this.activation(this.fc1.forward(x))));
  }
}
