import { tf, type Tensor } from '@pixelrepa/tensor';
import {
  Attention,
  LabelEmbedder,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  ModuleList,
  Sequential,
  SiLU,
  TimestepEmbedder,
  convPatchLayout,
  gatedResidual,
  modulate,
  patchify,
  unpatchify,
  sincosPositionEmbedding2d,
  type RandomSource,
} from '@pixelrepa/nn';

export interface TinyDiTConfig {
  imageSize: number;
  patchSize: number;
  width: number;
  depth: number;
  heads: number;
  numClasses: number;
  /** The block whose output tokens the alignment objective reads (REPA's "encoder depth"). */
  alignDepth: number;
}

/** DiT's block: adaLN-Zero with LayerNorm (no affine), attention, GELU MLP. */
class DiTBlock extends Module {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  readonly adaLN_modulation: Sequential;

  constructor(
    readonly width: number,
    heads: number,
    random?: RandomSource,
  ) {
    super();
    this.norm1 = this.addModule('norm1', new LayerNorm(width, 1e-6));
    this.attn = this.addModule('attn', new Attention({ dim: width, numHeads: heads, qkNorm: false, random }));
    this.norm2 = this.addModule('norm2', new LayerNorm(width, 1e-6));
    this.mlp = this.addModule('mlp', new Mlp({ inFeatures: width, hiddenFeatures: 4 * width, random }));
    this.adaLN_modulation = this.addModule('adaLN_modulation', new Sequential(SiLU(), new Linear({ inFeatures: width, outFeatures: 6 * width, random })));
  }

  /** x: [B, N, D], c: [B, D] → [B, N, D] */
  forward(x: Tensor, c: Tensor): Tensor {
    return tf.tidy(() => {
      const [shiftA, scaleA, gateA, shiftM, scaleM, gateM] = tf.split(this.adaLN_modulation.forward(c), 6, -1);
      const h = gatedResidual(x, gateA, this.attn.forward(modulate(this.norm1.forward(x), shiftA, scaleA)));
      return gatedResidual(h, gateM, this.mlp.forward(modulate(this.norm2.forward(h), shiftM, scaleM)));
    });
  }
}

/**
 * A tiny DiT that predicts the NOISE ε (DDPM), unlike JiT's x-prediction: written here to show that
 * the alignment objectives work with any model that exposes hidden tokens.
 */
export class TinyDiT extends Module {
  readonly embed: Linear;
  readonly t_embedder: TimestepEmbedder;
  readonly y_embedder: LabelEmbedder;
  readonly blocks: DiTBlock[];
  readonly head: Linear;
  private readonly positions: Tensor;

  constructor(
    readonly config: TinyDiTConfig,
    random?: RandomSource,
  ) {
    super();
    const { imageSize, patchSize: p, width, depth, heads, numClasses } = config;
    this.embed = this.addModule('embed', new Linear({ inFeatures: p * p * 3, outFeatures: width, weightLayout: convPatchLayout(3, p), random }));
    this.t_embedder = this.addModule('t_embedder', new TimestepEmbedder(width, 256, random));
    this.y_embedder = this.addModule('y_embedder', new LabelEmbedder(numClasses, width, random));
    this.blocks = Array.from({ length: depth }, () => new DiTBlock(width, heads, random));
    this.addModule('blocks', new ModuleList(this.blocks));
    this.head = this.addModule('head', new Linear({ inFeatures: width, outFeatures: p * p * 3, random }));
    const grid = imageSize / p;
    this.positions = tf.tensor3d(sincosPositionEmbedding2d(width, grid), [1, grid * grid, width]);
  }

  /**
   * ε̂ and the hidden tokens after block `alignDepth`.
   * x: [B, H, W, 3] noisy images, t: [B] diffusion step in [0, 1000), y: [B] int32
   * → { eps: [B, H, W, 3], tokens: [B, N, D] }
   */
  forward(x: Tensor, t: Tensor, y: Tensor): { eps: Tensor; tokens: Tensor } {
    return tf.tidy(() => {
      const c = tf.add(this.t_embedder.forward(t), this.y_embedder.forward(y));
      let h = tf.add(this.embed.forward(patchify(x, this.config.patchSize)), this.positions);
      let tokens = h;
      this.blocks.forEach((block, i) => {
        h = block.forward(h, c);
        if (i + 1 === this.config.alignDepth) tokens = h;
      });
      return { eps: unpatchify(this.head.forward(h), this.config.patchSize, 3), tokens };
    });
  }

  override dispose(): void {
    super.dispose();
    this.positions.dispose();
  }
}
