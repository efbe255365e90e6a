import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { init, tfRandomSource, type RandomSource } from './init.js';

/**
 * Row lookup whose gradient is a one-hot matmul. TF.js's own gradient of `gather` needs the
 * UnsortedSegmentSum kernel, which the WASM backend lacks. table: [K, D], indices: [B] → [B, D]
 */
export function gatherRows(table: Tensor, indices: Tensor): Tensor {
  // The indices go through the tape (saved), so the backward pass can still read them.
  const lookup = tf.customGrad(((weights: Tensor, rows: Tensor, save: (tensors: Tensor[]) => void) => {
    save([rows]);
    return {
      value: tf.gather(weights, rows),
      gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.matMul(tf.oneHot(saved[0], weights.shape[0]), dy, true, false), tf.zerosLike(saved[0])],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => lookup(table, tf.cast(indices, 'int32')));
}

/** A lookup table (PyTorch `nn.Embedding`). */
export class Embedding extends Module {
  readonly weight: Parameter;
  constructor(
    readonly count: number,
    readonly size: number,
    random: RandomSource = tfRandomSource,
  ) {
    super();
    this.weight = this.addParameter('weight', init.normal(random, [count, size], 1));
  }

  /** indices: [B] int32 → [B, D] */
  forward(indices: Tensor): Tensor {
    return gatherRows(this.weight.value, indices);
  }
}
