import { swiglu, tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { Linear, linearChunks } from './linear.js';
import type { RandomSource } from './init.js';
import { dropout } from './dropout.js';

export interface SwiGLUConfig {
  dim: number;
  /** Before the 2/3 reduction: the hidden width is `int(hiddenDim · 2 / 3)`. */
  hiddenDim: number;
  drop?: number;
  bias?: boolean;
  random?: RandomSource;
}

/**
 * The hidden width of the SwiGLU in an adaLN block of width `dim` and MLP ratio `mlpRatio`:
 * `int(int(dim · mlpRatio) · 2 / 3)`, as JiT's and the MTA's blocks build it.
 */
export function swigluHiddenWidth(dim: number, mlpRatio: number): number {
  return Math.floor((Math.floor(dim * mlpRatio) * 2) / 3);
}

/**
 * SwiGLU feed-forward: `w3(silu(a) · b)` with `[a | b] = w12(x)`; the gated product is tensor's
 * `swiglu` (one fused kernel each way on wasm).
 */
export class SwiGLU extends Module {
  readonly w12: Linear;
  readonly w3: Linear;
  readonly hidden: number;

  constructor(readonly config: SwiGLUConfig) {
    super();
    const { dim, hiddenDim, bias = true, random } = config;
    this.hidden = Math.floor((hiddenDim * 2) / 3);
    this.w12 = this.addModule('w12', new Linear({ inFeatures: dim, outFeatures: 2 * this.hidden, bias, random }));
    this.w3 = this.addModule('w3', new Linear({ inFeatures: this.hidden, outFeatures: dim, bias, random }));
  }

  /** x: [B, N, D] → [B, N, D] */
  forward(x: Tensor, seed?: number): Tensor {
    return tf.tidy(() => {
      const [gate, linear] = linearChunks(this.w12, x, 2);
      let hidden = swiglu(gate, linear);
      if (this.training && this.config.drop) hidden = dropout(hidden, this.config.drop, seed);
      return this.w3.forward(hidden);
    });
  }
}
