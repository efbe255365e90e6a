import { tf, type Tensor } from '@pixelrepa/tensor';
import {
  Attention,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  ModuleList,
  convPatchLayout,
  init,
  patchify,
  tfRandomSource,
  type Parameter,
  type RandomSource,
} from '@pixelrepa/nn';
import type { Encoder, FeatureRecorder } from '../encoder.js';

/** A small ViT trained by this project as a semantic encoder for small images (the quickstart's target). */
export interface SmallViTConfig {
  imgSize: number;
  patchSize: number;
  embedDim: number;
  depth: number;
  numHeads: number;
  mlpRatio: number;
  /** Classes of its training head (the encoder drops the head). */
  numClasses: number;
}

export const smallViTProcedural: SmallViTConfig = { imgSize: 32, patchSize: 8, embedDim: 96, depth: 4, numHeads: 4, mlpRatio: 3, numClasses: 10 };

/** Pre-LayerNorm ViT block (timm layout: `norm1`, `attn.qkv`, `attn.proj`, `norm2`, `mlp.fc1`, `mlp.fc2`). */
class Block extends Module {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  constructor(dim: number, heads: number, mlpRatio: number, random: RandomSource) {
    super();
    this.norm1 = this.addModule('norm1', new LayerNorm(dim, 1e-6));
    this.attn = this.addModule('attn', new Attention({ dim, numHeads: heads, qkNorm: false, random }));
    this.norm2 = this.addModule('norm2', new LayerNorm(dim, 1e-6));
    this.mlp = this.addModule('mlp', new Mlp({ inFeatures: dim, hiddenFeatures: Math.round(dim * mlpRatio), random }));
  }

  /** x: [B, N, D] → [B, N, D] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, this.attn.forward(this.norm1.forward(x)));
      return tf.add(h, this.mlp.forward(this.norm2.forward(h)));
    });
  }
}

/** `patch_embed.proj`: a p×p stride-p conv (stored OIHW) applied as a matmul on patch vectors. */
class PatchProjection extends Module {
  readonly proj: Linear;
  constructor(patchSize: number, embedDim: number, random: RandomSource) {
    super();
    this.proj = this.addModule(
      'proj',
      new Linear({ inFeatures: patchSize * patchSize * 3, outFeatures: embedDim, weightLayout: convPatchLayout(3, patchSize), random }),
    );
  }
}

/**
 * A small Vision Transformer (no class token; learned position embedding; mean-pooled
 * classification head for training). Trained on the procedural dataset, its patch tokens are a
 * semantic target that costs little: the quickstart aligns JiT to them. As an `Encoder` it is frozen.
 */
export class SmallViT extends Module implements Encoder {
  readonly label: string;
  readonly config: SmallViTConfig;
  readonly patch_embed: PatchProjection;
  readonly pos_embed: Parameter;
  readonly blocks: Block[];
  readonly norm: LayerNorm;
  readonly head: Linear;

  constructor(config: SmallViTConfig = smallViTProcedural, { random = tfRandomSource }: { random?: RandomSource } = {}) {
    super();
    this.config = { ...config };
    const { imgSize, patchSize, embedDim, depth, numHeads, mlpRatio, numClasses } = config;
    if (imgSize % patchSize !== 0) throw new Error(`SmallViT: imgSize ${imgSize} is not divisible by patchSize ${patchSize}`);
    this.label = `SmallViT-${embedDim}/${patchSize} @ ${imgSize}px`;
    this.patch_embed = this.addModule('patch_embed', new PatchProjection(patchSize, embedDim, random));
    const tokens = (imgSize / patchSize) ** 2;
    this.pos_embed = this.addParameter('pos_embed', init.normal(random, [1, tokens, embedDim], 0.02));
    this.blocks = Array.from({ length: depth }, () => new Block(embedDim, numHeads, mlpRatio, random));
    this.addModule('blocks', new ModuleList(this.blocks));
    this.norm = this.addModule('norm', new LayerNorm(embedDim, 1e-6));
    this.head = this.addModule('head', new Linear({ inFeatures: embedDim, outFeatures: numClasses, random }));
  }

  get embedDim(): number {
    return this.config.embedDim;
  }
  get patchSize(): number {
    return this.config.patchSize;
  }
  get imgSize(): number {
    return this.config.imgSize;
  }
  get numPrefixTokens(): number {
    return 0;
  }
  get gridSize(): readonly [number, number] {
    const grid = this.config.imgSize / this.config.patchSize;
    return [grid, grid];
  }

  /** Takes [−1, 1] images as they are; only the size must match. images: [B, H, W, 3] → same */
  preprocess(images: Tensor): Tensor {
    const { imgSize } = this.config;
    if (images.rank !== 4 || images.shape[3] !== 3) throw new Error(`${this.label}: expected images [B, H, W, 3] in [−1, 1], got [${images.shape.join(', ')}]`);
    if (images.shape[1] === imgSize && images.shape[2] === imgSize) return tf.clone(images);
    return tf.image.resizeBilinear(images as tf.Tensor4D, [imgSize, imgSize], false, true);
  }

  /** x: [B, S, S, 3] → [B, N, D] (normalised tokens; there are no prefix tokens) */
  forwardFeatures(x: Tensor, record?: FeatureRecorder): Tensor {
    return tf.tidy(() => {
      let h = tf.add(this.patch_embed.proj.forward(patchify(x, this.config.patchSize)), this.pos_embed.value);
      this.blocks.forEach((block, i) => {
        h = block.forward(h);
        record?.(`blocks.${i}`, h);
      });
      return this.norm.forward(h);
    });
  }

  /** Patch tokens. images: [B, H, W, 3] in [−1, 1] → [B, N, D] */
  encode(images: Tensor): Tensor {
    return tf.tidy(() => this.forwardFeatures(this.preprocess(images)));
  }

  /** Class logits from mean-pooled tokens (training only). images → [B, numClasses] */
  classify(images: Tensor): Tensor {
    return tf.tidy(() => this.head.forward(tf.mean(this.encode(images), 1)));
  }
}
