import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { init, tfRandomSource, type RandomSource } from './init.js';

/** A lookup table (PyTorch `nn.Embedding`). */
export class Embedding extends Module {
  readonly weight: Parameter;
  constructor(readonly count: number, readonly size: number, random: RandomSource = tfRandomSource) {
    super();
    this.weight = this.addParameter('weight', init.normal(random, [count, size], 1));
  }

  /** indices: [B] int32 → [B, D] */
  forward(indices: Tensor): Tensor {
    return tf.gather(this.weight.value, indices);
  }
}
