import { remat, tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { Attention } from './attention.js';
import { Linear } from './linear.js';
import { RMSNorm } from './norm.js';
import { Sequential } from './sequential.js';
import { SiLU } from './activations.js';
import { SwiGLU } from './swiglu.js';
import { gatedResidual, modulate } from './adaln.js';
import type { Rope2d } from './rope.js';
import type { RandomSource } from './init.js';
import { namedModules } from './adaln-init.js';

/** Called with named intermediate tensors (fixture names); the callee must `tf.keep` what it stores. */
export type Recorder = (name: string, value: Tensor) => void;

export interface AdaLNBlockConfig {
  hiddenSize: number;
  numHeads: number;
  mlpRatio: number;
  attnDrop: number;
  projDrop: number;
  random?: RandomSource;
}

/**
 * JiT's transformer block (also the Masked Transformer Adapter's): adaLN-Zero conditioning with
 * six chunks (shift, scale, gate for attention, then for the MLP), RMSNorm, qk-norm attention with
 * 2-D RoPE, and a SwiGLU MLP.
 */
export class AdaLNBlock extends Module {
  readonly norm1: RMSNorm;
  readonly attn: Attention;
  readonly norm2: RMSNorm;
  readonly mlp: SwiGLU;
  readonly adaLN_modulation: Sequential;
  /**
   * Recompute this block's intermediates in the backward pass instead of keeping them (see
   * `remat`): a training step then holds the block's input, not its intermediates (~90 values per
   * token and width, measured). Ignored when recording intermediates and while dropout is active
   * (it would draw new masks).
   */
  remat = false;
  readonly hiddenSize: number;
  private readonly dropping: boolean;

  constructor(config: AdaLNBlockConfig) {
    super();
    const { hiddenSize, numHeads, mlpRatio, attnDrop, projDrop, random } = config;
    this.hiddenSize = hiddenSize;
    this.dropping = attnDrop > 0 || projDrop > 0;
    this.norm1 = this.addModule('norm1', new RMSNorm(hiddenSize, 1e-6));
    this.attn = this.addModule('attn', new Attention({ dim: hiddenSize, numHeads, qkvBias: true, qkNorm: true, attnDrop, projDrop, random }));
    this.norm2 = this.addModule('norm2', new RMSNorm(hiddenSize, 1e-6));
    this.mlp = this.addModule('mlp', new SwiGLU({ dim: hiddenSize, hiddenDim: Math.floor(hiddenSize * mlpRatio), drop: projDrop, random }));
    this.adaLN_modulation = this.addModule(
      'adaLN_modulation',
      new Sequential(SiLU(), new Linear({ inFeatures: hiddenSize, outFeatures: 6 * hiddenSize, random })),
    );
  }

  /** x: [B, N, D], c: [B, D], rope tables with N rows → [B, N, D] */
  forward(x: Tensor, c: Tensor, rope: Rope2d, record?: Recorder, prefix = ''): Tensor {
    if (this.remat && !record && !(this.training && this.dropping)) {
      const trainable = this.namedParameters()
        .filter(([, p]) => p.variable.trainable)
        .map(([, p]) => p.variable);
      return remat((xIn, cIn) => this.compute(xIn, cIn, rope), [x, c], trainable);
    }
    return this.compute(x, c, rope, record, prefix);
  }

  private compute(x: Tensor, c: Tensor, rope: Rope2d, record?: Recorder, prefix = ''): Tensor {
    return tf.tidy(() => {
      const modulation = this.adaLN_modulation.forward(c);
      record?.(`${prefix}.adaLN_modulation`, modulation);
      const [shiftMsa, scaleMsa, gateMsa, shiftMlp, scaleMlp, gateMlp] = tf.split(modulation, 6, -1);
      const attended = this.attn.forward(modulate(this.norm1.forward(x), shiftMsa, scaleMsa), rope);
      record?.(`${prefix}.attn`, attended);
      const h = gatedResidual(x, gateMsa, attended);
      const mlpOut = this.mlp.forward(modulate(this.norm2.forward(h), shiftMlp, scaleMlp));
      record?.(`${prefix}.mlp`, mlpOut);
      return gatedResidual(h, gateMlp, mlpOut);
    });
  }
}

/** Sets `remat` on every `AdaLNBlock` under `root` (the JiT's blocks, the adapter's); returns how many. */
export function setBlockRemat(root: Module, on: boolean): number {
  const blocks = namedModules(root)
    .map(([, module]) => module)
    .filter((module): module is AdaLNBlock => module instanceof AdaLNBlock);
  blocks.forEach((block) => (block.remat = on));
  return blocks.length;
}
