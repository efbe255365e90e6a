import { tf, type Tensor } from '@pixelrepa/tensor';
import {
  Attention, Linear, Module, RMSNorm, Sequential, SiLU, SwiGLU, gatedResidual, modulate,
  type Layout, type Rope2d, type RandomSource,
} from '@pixelrepa/nn';

/** Called with named intermediate tensors (the fixture's names); the callee must `tf.keep` what it stores. */
export type Recorder = (name: string, value: Tensor) => void;

/**
 * Conv weight OIHW [O, C, p, p] ↔ patch-matmul weight [O, p·p·C] in (row, col, channel) order,
 * converted once at load.
 */
function patchKernelLayout(channels: number, p: number): Layout {
  return {
    fromTorch: (w) => tf.tidy(() => tf.reshape(tf.transpose(w, [0, 2, 3, 1]), [w.shape[0], p * p * channels])),
    toTorch: (w) => tf.tidy(() => tf.transpose(tf.reshape(w, [w.shape[0], p, p, channels]), [0, 3, 1, 2])),
    torchShape: ([o]) => [o, channels, p, p],
  };
}

/** 1×1 conv weight [O, I, 1, 1] ↔ Linear weight [O, I]. */
const pointwiseLayout: Layout = {
  fromTorch: (w) => tf.reshape(w, [w.shape[0], w.shape[1]!]),
  toTorch: (w) => tf.reshape(w, [w.shape[0], w.shape[1]!, 1, 1]),
  torchShape: ([o, i]) => [o, i, 1, 1],
};

/**
 * Bottleneck patch embedding: p×p conv to `bottleneck` channels (no bias), then 1×1 conv to the
 * width. Both are matmuls on patch vectors. patches: [B, N, p·p·C] → [B, N, D]
 */
export class BottleneckPatchEmbed extends Module {
  readonly proj1: Linear;
  readonly proj2: Linear;
  constructor(patchSize: number, inChannels: number, bottleneck: number, hidden: number, random?: RandomSource) {
    super();
    this.proj1 = this.addModule('proj1', new Linear({ inFeatures: patchSize * patchSize * inChannels, outFeatures: bottleneck, bias: false, weightLayout: patchKernelLayout(inChannels, patchSize), random }));
    this.proj2 = this.addModule('proj2', new Linear({ inFeatures: bottleneck, outFeatures: hidden, weightLayout: pointwiseLayout, random }));
  }

  forward(patches: Tensor): Tensor {
    return tf.tidy(() => this.proj2.forward(this.proj1.forward(patches)));
  }
}

export interface JiTBlockConfig {
  hiddenSize: number;
  numHeads: number;
  mlpRatio: number;
  attnDrop: number;
  projDrop: number;
  random?: RandomSource;
}

/** adaLN-Zero transformer block with RMSNorm, qk-norm attention with 2-D RoPE, and SwiGLU. */
export class JiTBlock extends Module {
  readonly norm1: RMSNorm;
  readonly attn: Attention;
  readonly norm2: RMSNorm;
  readonly mlp: SwiGLU;
  readonly adaLN_modulation: Sequential;

  constructor(config: JiTBlockConfig) {
    super();
    const { hiddenSize, numHeads, mlpRatio, attnDrop, projDrop, random } = config;
    this.norm1 = this.addModule('norm1', new RMSNorm(hiddenSize, 1e-6));
    this.attn = this.addModule('attn', new Attention({ dim: hiddenSize, numHeads, qkvBias: true, qkNorm: true, attnDrop, projDrop, random }));
    this.norm2 = this.addModule('norm2', new RMSNorm(hiddenSize, 1e-6));
    this.mlp = this.addModule('mlp', new SwiGLU({ dim: hiddenSize, hiddenDim: Math.floor(hiddenSize * mlpRatio), drop: projDrop, random }));
    this.adaLN_modulation = this.addModule('adaLN_modulation', new Sequential(SiLU(), new Linear({ inFeatures: hiddenSize, outFeatures: 6 * hiddenSize, random })));
  }

  /** x: [B, N, D], c: [B, D], rope tables with N rows → [B, N, D] */
  forward(x: Tensor, c: Tensor, rope: Rope2d, record?: Recorder, prefix = ''): Tensor {
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

/** RMSNorm → adaLN modulation (shift, scale) → Linear to p·p·C. x: [B, N, D], c: [B, D] → [B, N, p·p·C] */
export class FinalLayer extends Module {
  readonly norm_final: RMSNorm;
  readonly linear: Linear;
  readonly adaLN_modulation: Sequential;

  constructor(hiddenSize: number, patchSize: number, outChannels: number, random?: RandomSource) {
    super();
    this.norm_final = this.addModule('norm_final', new RMSNorm(hiddenSize));
    this.linear = this.addModule('linear', new Linear({ inFeatures: hiddenSize, outFeatures: patchSize * patchSize * outChannels, random }));
    this.adaLN_modulation = this.addModule('adaLN_modulation', new Sequential(SiLU(), new Linear({ inFeatures: hiddenSize, outFeatures: 2 * hiddenSize, random })));
  }

  forward(x: Tensor, c: Tensor): Tensor {
    return tf.tidy(() => {
      const [shift, scale] = tf.split(this.adaLN_modulation.forward(c), 2, -1);
      return this.linear.forward(modulate(this.norm_final.forward(x), shift, scale));
    });
  }
}
