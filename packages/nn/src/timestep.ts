import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';
import { SiLU } from './activations.js';
import type { RandomSource } from './init.js';

const f32 = Math.fround;

/**
 * Frequencies of the sinusoidal timestep embedding, f_i = exp(−ln(maxPeriod)·i / half), replaying
 * the reference's float32 arithmetic.
 */
export function timestepFrequencies(dim: number, maxPeriod = 10000): Float32Array {
  const half = Math.floor(dim / 2);
  const scale = f32(-Math.log(maxPeriod));
  return Float32Array.from({ length: half }, (_, i) => Math.exp(f32(f32(scale * i) / half)));
}

/**
 * Sinusoidal embedding `[cos(t·f) | sin(t·f)]` (cos first), with a trailing zero column for odd
 * `dim`. `t` is fed raw (t ∈ [0, 1] for JiT, not ×1000). t: [B] → [B, dim]
 */
export function timestepEmbedding(t: Tensor, dim: number, maxPeriod = 10000): Tensor {
  return tf.tidy(() => {
    const freqs = tf.tensor1d(timestepFrequencies(dim, maxPeriod));
    const args = tf.mul(tf.expandDims(tf.cast(t, 'float32'), 1), tf.expandDims(freqs, 0));
    const parts = [tf.cos(args), tf.sin(args)];
    if (dim % 2) parts.push(tf.zeros([t.shape[0], 1]));
    return tf.concat(parts, -1);
  });
}

/** `mlp(timestepEmbedding(t, 256))` with `mlp = Linear → SiLU → Linear` (keys `mlp.0`, `mlp.2`). */
export class TimestepEmbedder extends Module {
  readonly mlp: Sequential;
  constructor(
    readonly hiddenSize: number,
    readonly frequencySize = 256,
    random?: RandomSource,
  ) {
    super();
    this.mlp = this.addModule(
      'mlp',
      new Sequential(
        new Linear({ inFeatures: frequencySize, outFeatures: hiddenSize, random }),
        SiLU(),
        new Linear({ inFeatures: hiddenSize, outFeatures: hiddenSize, random }),
      ),
    );
  }

  /** t: [B] → [B, D] */
  forward(t: Tensor): Tensor {
    return tf.tidy(() => this.mlp.forward(timestepEmbedding(t, this.frequencySize)));
  }
}
