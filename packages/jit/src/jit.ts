import { tf, type Tensor } from '@pixelrepa/tensor';
import {
  LabelEmbedder,
  Module,
  ModuleList,
  Rope2d,
  TimestepEmbedder,
  init,
  prependInContext,
  sincosPositionEmbedding2d,
  stripInContext,
  tfRandomSource,
  type Parameter,
  type RandomSource,
} from '@pixelrepa/nn';
import { jitConfig, validateJiTConfig, type JiTConfig } from './config.js';
import { BottleneckPatchEmbed, FinalLayer, JiTBlock, type Recorder } from './layers.js';
import { patchify, unpatchify } from './patch.js';
import { checkImages, checkLabels, checkTimes } from './inputs.js';
import { initializeJiT } from './initialize.js';

export interface JiTOptions {
  /** Source of initial weights (the reference's init scheme is applied). */
  random?: RandomSource;
}

export interface ForwardOptions {
  /** Receives named intermediates (`t_emb`, `x_embed`, `block_3.attn`, …); `tf.keep` what you store. */
  record?: Recorder;
  /**
   * The t/y conditioning from `condition(t, y)`, computed once for both halves of a training step
   * (the encoder and the decoder then share it and its gradient); default: computed here.
   */
  conditioning?: JiTConditioning;
}

/** The adaLN conditioning of a batch: `c = t_emb + y_emb`, and `y_emb` for the in-context tokens. */
export interface JiTConditioning {
  c: Tensor;
  yEmb: Tensor;
}

/**
 * JiT — "Just image Transformers": a plain ViT that denoises pixels directly (x-prediction).
 * Child names equal the PyTorch reference's, so `stateDict()` keys equal official checkpoint keys.
 * Images are NHWC in [−1, 1]; `t = 1` is the clean image, `t = 0` pure noise.
 */
export class JiT extends Module {
  readonly config: JiTConfig;
  readonly t_embedder: TimestepEmbedder;
  readonly y_embedder: LabelEmbedder;
  readonly x_embedder: BottleneckPatchEmbed;
  readonly pos_embed: Parameter;
  readonly in_context_posemb?: Parameter;
  readonly blocks: JiTBlock[];
  readonly final_layer: FinalLayer;
  readonly mask_token: Parameter;
  /** RoPE over image tokens only (encoder blocks) and with in-context rows first (decoder blocks). */
  readonly featRope: Rope2d;
  readonly featRopeInContext: Rope2d;

  constructor(config: JiTConfig | string, options: JiTOptions = {}) {
    super();
    this.config = typeof config === 'string' ? jitConfig(config) : { ...config };
    validateJiTConfig(this.config);
    const c = this.config;
    const random = options.random ?? tfRandomSource;
    const grid = c.inputSize / c.patchSize;
    const headDim = c.hiddenSize / c.numHeads;

    this.t_embedder = this.addModule('t_embedder', new TimestepEmbedder(c.hiddenSize, 256, random));
    this.y_embedder = this.addModule('y_embedder', new LabelEmbedder(c.numClasses, c.hiddenSize, random));
    this.x_embedder = this.addModule('x_embedder', new BottleneckPatchEmbed(c.patchSize, c.inChannels, c.bottleneckDim, c.hiddenSize, random));
    // Fixed sin-cos table: a parameter in the state dict, never trained.
    this.pos_embed = this.addParameter('pos_embed', tf.tensor3d(sincosPositionEmbedding2d(c.hiddenSize, grid), [1, grid * grid, c.hiddenSize]), {
      trainable: false,
    });
    if (c.inContextLen > 0) {
      this.in_context_posemb = this.addParameter('in_context_posemb', init.normal(random, [1, c.inContextLen, c.hiddenSize], 0.02));
    }
    this.featRope = new Rope2d(headDim, grid, 0);
    this.featRopeInContext = new Rope2d(headDim, grid, c.inContextLen);
    // Dropout only in the middle half of the blocks, as in the reference.
    const middle = (i: number) => i >= Math.floor(c.depth / 4) && i < Math.floor(c.depth / 4) * 3;
    const blockList = Array.from(
      { length: c.depth },
      (_, i) =>
        new JiTBlock({
          hiddenSize: c.hiddenSize,
          numHeads: c.numHeads,
          mlpRatio: c.mlpRatio,
          attnDrop: middle(i) ? c.attnDrop : 0,
          projDrop: middle(i) ? c.projDrop : 0,
          random,
        }),
    );
    this.blocks = blockList;
    this.addModule('blocks', new ModuleList(blockList));
    this.final_layer = this.addModule('final_layer', new FinalLayer(c.hiddenSize, c.patchSize, c.inChannels, random));
    this.mask_token = this.addParameter('mask_token', init.normal(random, [1, 1, c.hiddenSize], 0.02));
    initializeJiT(this, random);
  }

  /** Tokens per image. */
  get numPatches(): number {
    return (this.config.inputSize / this.config.patchSize) ** 2;
  }

  /** The x-prediction. z: [B, H, W, C] noisy images, t: [B], y: [B] int32 → [B, H, W, C] */
  forward(z: Tensor, t: Tensor, y: Tensor, options: ForwardOptions = {}): Tensor {
    this.checkInputs(z, t, y);
    return tf.tidy(() => {
      const { c, yEmb } = this.condition(t, y, options);
      const h = this.runEncoder(z, c, options.record);
      return this.runDecoder(h, c, yEmb, options.record);
    });
  }

  /** Blocks [0, inContextStart) on image tokens only. z: [B, H, W, C] → [B, N, D] */
  forwardEncoder(z: Tensor, t: Tensor, y: Tensor, options: ForwardOptions = {}): Tensor {
    this.checkInputs(z, t, y);
    return tf.tidy(() => this.runEncoder(z, (options.conditioning ?? this.condition(t, y, options)).c, options.record));
  }

  /** In-context tokens, the remaining blocks and the final layer. h: [B, N, D] → [B, H, W, C] */
  forwardDecoder(h: Tensor, t: Tensor, y: Tensor, options: ForwardOptions = {}): Tensor {
    if (h.rank !== 3 || h.shape[1] !== this.numPatches || h.shape[2] !== this.config.hiddenSize) {
      throw new Error(`forwardDecoder expects tokens [B, ${this.numPatches}, ${this.config.hiddenSize}], got [${h.shape.join(', ')}]`);
    }
    checkTimes(t, h.shape[0]);
    checkLabels(y, h.shape[0], this.config.numClasses);
    return tf.tidy(() => {
      const { c, yEmb } = options.conditioning ?? this.condition(t, y, options);
      return this.runDecoder(h, c, yEmb, options.record);
    });
  }

  /** The conditioning `c = t_emb + y_emb` of times t [B] and labels y [B] (int32; `numClasses` = dropped). */
  condition(t: Tensor, y: Tensor, { record }: Pick<ForwardOptions, 'record'> = {}): JiTConditioning {
    const tEmb = this.t_embedder.forward(t);
    const yEmb = this.y_embedder.forward(y);
    record?.('t_emb', tEmb);
    record?.('y_emb', yEmb);
    return { c: tf.add(tEmb, yEmb), yEmb };
  }

  private runEncoder(z: Tensor, c: Tensor, record?: Recorder): Tensor {
    const embedded = this.x_embedder.forward(patchify(z, this.config.patchSize));
    record?.('x_embed', embedded);
    let x = tf.add(embedded, this.pos_embed.value);
    for (let i = 0; i < this.config.inContextStart; i++) {
      x = this.blocks[i].forward(x, c, this.featRope, record, `block_${i}`);
      record?.(`block_${i}`, x);
    }
    record?.('enc', x);
    return x;
  }

  private runDecoder(h: Tensor, c: Tensor, yEmb: Tensor, record?: Recorder): Tensor {
    const { inContextLen, inContextStart, depth, patchSize, inChannels } = this.config;
    let x = h;
    const withContext = inContextLen > 0 && inContextStart < depth;
    // In-context class tokens: y_emb + a learned position per token, prepended (and stripped after the blocks).
    if (withContext) x = prependInContext(x, yEmb, this.in_context_posemb!.value);
    for (let i = inContextStart; i < depth; i++) {
      x = this.blocks[i].forward(x, c, withContext ? this.featRopeInContext : this.featRope, record, `block_${i}`);
      record?.(`block_${i}`, x);
    }
    if (withContext) x = stripInContext(x, inContextLen);
    const patches = this.final_layer.forward(x, c);
    record?.('final_layer', patches);
    const out = unpatchify(patches, patchSize, inChannels);
    record?.('dec', out);
    return out;
  }

  private checkInputs(z: Tensor, t: Tensor, y: Tensor): void {
    const batch = checkImages(z, this.config.inputSize, this.config.inChannels, this.config.patchSize);
    checkTimes(t, batch);
    checkLabels(y, batch, this.config.numClasses);
  }

  override dispose(): void {
    super.dispose();
    this.featRope.dispose();
    this.featRopeInContext.dispose();
  }
}
