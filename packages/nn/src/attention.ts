import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { Linear, linearChunks } from './linear.js';
import { RMSNorm } from './norm.js';
import type { Rope2d } from './rope.js';
import type { RandomSource } from './init.js';
import { dropout, type DropoutSeed } from './dropout.js';

export interface AttentionConfig {
  dim: number;
  numHeads: number;
  qkvBias?: boolean;
  /** Per-head RMSNorm on q and k before RoPE (JiT). */
  qkNorm?: boolean;
  attnDrop?: number;
  projDrop?: number;
  /** Scale q by d^−½ before q·kᵀ (timm's ViT) instead of scaling the product (JiT reference). */
  scaleQueries?: boolean;
  random?: RandomSource;
}

/**
 * Multi-head self-attention with optional qk-norm and 2-D RoPE (JiT's `Attention`; with
 * qkNorm false and no rope it is timm's ViT attention). Softmax is computed in float32.
 */
export class Attention extends Module {
  readonly qkv: Linear;
  readonly q_norm?: RMSNorm;
  readonly k_norm?: RMSNorm;
  readonly proj: Linear;
  readonly headDim: number;

  constructor(readonly config: AttentionConfig) {
    super();
    const { dim, numHeads, qkvBias = true, qkNorm = true, random } = config;
    if (dim % numHeads !== 0) throw new Error(`attention width ${dim} is not divisible by ${numHeads} heads`);
    this.headDim = dim / numHeads;
    if (qkNorm) {
      this.q_norm = this.addModule('q_norm', new RMSNorm(this.headDim));
      this.k_norm = this.addModule('k_norm', new RMSNorm(this.headDim));
    }
    this.qkv = this.addModule('qkv', new Linear({ inFeatures: dim, outFeatures: 3 * dim, bias: qkvBias, random }));
    this.proj = this.addModule('proj', new Linear({ inFeatures: dim, outFeatures: dim, random }));
  }

  /** x: [B, N, D] → [B, N, D]; rope tables must have N rows. */
  forward(x: Tensor, rope?: Rope2d, seed?: DropoutSeed): Tensor {
    return tf.tidy(() => {
      const [B, N, D] = x.shape;
      const H = this.config.numHeads;
      const heads = (t: Tensor) => tf.transpose(tf.reshape(t, [B, N, H, this.headDim]), [0, 2, 1, 3]);
      const [query, key, v] = linearChunks(this.qkv, x, 3).map(heads);
      let q = query;
      let k = key;
      if (this.q_norm && this.k_norm) {
        q = this.q_norm.forward(q);
        k = this.k_norm.forward(k);
      }
      if (rope) {
        q = rope.apply(q);
        k = rope.apply(k);
      }
      // JiT computes (q·kᵀ)·scale, timm (q·scale)·kᵀ: the order is kept so both match to the bit.
      const scale = 1 / Math.sqrt(this.headDim);
      const scores = this.config.scaleQueries ? tf.matMul(tf.mul(q, this.headDim ** -0.5), k, false, true) : tf.mul(tf.matMul(q, k, false, true), scale);
      let weights = tf.softmax(scores, -1);
      if (this.training && this.config.attnDrop) weights = dropout(weights, this.config.attnDrop, seed);
      const out = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [B, N, D]);
      let y = this.proj.forward(out);
      if (this.training && this.config.projDrop) y = dropout(y, this.config.projDrop, seed);
      return y;
    });
  }
}
