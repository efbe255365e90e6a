import { tf, type Tensor } from '@pixelrepa/tensor';
import {
  AdaLNBlock,
  initializeAdaLN,
  prependInContext,
  stripInContext,
  LabelEmbedder,
  LayerNorm,
  Linear,
  Module,
  ModuleList,
  Rope2d,
  Sequential,
  SiLU,
  TimestepEmbedder,
  init,
  tfRandomSource,
  type Parameter,
  type RandomSource,
  type Recorder,
} from '@pixelrepa/nn';
import { mtaConfig, type MTAConfig } from './config.js';

/** `Linear(D, D) → LayerNorm(eps 1e-5) → SiLU → Linear(D, Dz)` (keys `mlp.0`, `mlp.1`, `mlp.3`). */
export class ProjectionHead extends Module {
  readonly mlp: Sequential;
  constructor(hidden: number, out: number, random?: RandomSource) {
    super();
    this.mlp = this.addModule(
      'mlp',
      new Sequential(
        new Linear({ inFeatures: hidden, outFeatures: hidden, random }),
        new LayerNorm(hidden, 1e-5),
        SiLU(),
        new Linear({ inFeatures: hidden, outFeatures: out, random }),
      ),
    );
  }

  /** x: [B, N, D] → [B, N, Dz] */
  forward(x: Tensor): Tensor {
    return this.mlp.forward(x);
  }
}

/**
 * Masked Transformer Adapter: its own timestep and label embedders, in-context class tokens
 * prepended before its first block, `depth` JiT blocks (RoPE with in-context padding in each),
 * then a projection head to the target encoder's width when the widths differ.
 * Training-only: sampling never runs it.
 */
export class MaskedTransformerAdapter extends Module {
  readonly config: MTAConfig;
  readonly t_embedder: TimestepEmbedder;
  readonly y_embedder: LabelEmbedder;
  readonly in_context_posemb?: Parameter;
  readonly blocks: AdaLNBlock[];
  readonly projection_layer: ProjectionHead;
  readonly rope: Rope2d;

  constructor(config: MTAConfig | string, { random = tfRandomSource }: { random?: RandomSource } = {}) {
    super();
    this.config = typeof config === 'string' ? mtaConfig(config) : { ...config };
    const c = this.config;
    if (c.inputSize % c.patchSize !== 0) throw new Error(`MTA inputSize ${c.inputSize} is not divisible by patchSize ${c.patchSize}`);
    if (c.hiddenSize % c.numHeads !== 0) throw new Error(`MTA hiddenSize ${c.hiddenSize} is not divisible by numHeads ${c.numHeads}`);
    const grid = c.inputSize / c.patchSize;
    this.t_embedder = this.addModule('t_embedder', new TimestepEmbedder(c.hiddenSize, 256, random));
    this.y_embedder = this.addModule('y_embedder', new LabelEmbedder(c.numClasses, c.hiddenSize, random));
    if (c.inContextLen > 0) {
      this.in_context_posemb = this.addParameter('in_context_posemb', init.normal(random, [1, c.inContextLen, c.hiddenSize], 0.02));
    }
    this.rope = new Rope2d(c.hiddenSize / c.numHeads, grid, c.inContextLen);
    this.blocks = Array.from(
      { length: c.depth },
      () => new AdaLNBlock({ hiddenSize: c.hiddenSize, numHeads: c.numHeads, mlpRatio: c.mlpRatio, attnDrop: 0, projDrop: 0, random }),
    );
    this.addModule('blocks', new ModuleList(this.blocks));
    this.projection_layer = this.addModule('projection_layer', new ProjectionHead(c.hiddenSize, c.outChannels, random));
    this.initialize(random);
  }

  /** Number of image tokens it expects. */
  get numPatches(): number {
    return (this.config.inputSize / this.config.patchSize) ** 2;
  }

  /** tokens: [B, N, D] (masked encoder tokens), t: [B], y: [B] int32 (after label dropout) → [B, N, Dz] */
  forward(tokens: Tensor, t: Tensor, y: Tensor, { record }: { record?: Recorder } = {}): Tensor {
    const { hiddenSize, inContextLen, outChannels } = this.config;
    if (tokens.rank !== 3 || tokens.shape[1] !== this.numPatches || tokens.shape[2] !== hiddenSize) {
      throw new Error(`the adapter expects tokens [B, ${this.numPatches}, ${hiddenSize}], got [${tokens.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const yEmb = this.y_embedder.forward(y);
      const c = tf.add(this.t_embedder.forward(t), yEmb);
      let x = tokens;
      if (inContextLen > 0) x = prependInContext(x, yEmb, this.in_context_posemb!.value);
      this.blocks.forEach((block, i) => {
        x = block.forward(x, c, this.rope, record, `block_${i}`);
        record?.(`block_${i}`, x);
      });
      if (inContextLen > 0) x = stripInContext(x, inContextLen);
      record?.('projection_in', x);
      // As in the reference, the head is applied only when the widths differ.
      return hiddenSize !== outChannels ? this.projection_layer.forward(x) : x;
    });
  }

  /** The reference's init: xavier-uniform Linears, zero biases, N(0, 0.02) embedders, zero adaLN. */
  private initialize(random: RandomSource): void {
    initializeAdaLN(this, random, { normal: ['y_embedder.embedding_table', 't_embedder.mlp.0', 't_embedder.mlp.2'], zero: ['blocks.*.adaLN_modulation.1'] });
  }

  override dispose(): void {
    super.dispose();
    this.rope.dispose();
  }
}
