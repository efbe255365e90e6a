import { tf, type Tensor } from '@pixelrepa/tensor';
import { LayerNorm, Module, ModuleList, init, tfRandomSource, type Parameter, type RandomSource } from '@pixelrepa/nn';
import type { Encoder, FeatureRecorder } from '../encoder.js';
import { preprocessForEncoder } from '../preprocess.js';
import { PatchEmbed } from '../vit/patch-embed.js';
import { ViTBlock } from '../vit/block.js';
import { validateDinoV2Config, type DinoV2Config } from './config.js';

/**
 * DINOv2 as timm's `VisionTransformer` builds it, frozen. Child names are timm's state-dict keys
 * (`cls_token`, `reg_token`, `pos_embed`, `patch_embed.proj`, `blocks.i.*`, `norm`).
 *
 * Without registers the position table covers cls + patches (added after the cls token is put in
 * front); with registers (timm `no_embed_class`) it covers the patches only and cls + registers are
 * put in front afterwards. Weights are loaded with `loadDinoV2Weights`, which resamples them.
 */
export class DinoV2 extends Module implements Encoder {
  readonly cls_token: Parameter;
  readonly reg_token?: Parameter;
  readonly pos_embed: Parameter;
  readonly patch_embed: PatchEmbed;
  readonly blocks: ModuleList<ViTBlock>;
  readonly norm: LayerNorm;

  readonly label: string;
  readonly embedDim: number;
  readonly patchSize: number;
  readonly imgSize: number;
  readonly numPrefixTokens: number;
  readonly gridSize: readonly [number, number];

  constructor(
    readonly config: DinoV2Config,
    random: RandomSource = tfRandomSource,
  ) {
    super();
    validateDinoV2Config(config);
    const { embedDim: D, regTokens, imgSize, patchSize } = config;
    const side = imgSize / patchSize;
    this.label = config.label;
    this.embedDim = D;
    this.patchSize = patchSize;
    this.imgSize = imgSize;
    this.numPrefixTokens = 1 + regTokens;
    this.gridSize = [side, side];

    this.cls_token = this.addParameter('cls_token', init.normal(random, [1, 1, D], 1e-6));
    if (regTokens > 0) this.reg_token = this.addParameter('reg_token', init.normal(random, [1, regTokens, D], 1e-6));
    const positions = side * side + (regTokens > 0 ? 0 : 1);
    this.pos_embed = this.addParameter('pos_embed', init.normal(random, [1, positions, D], 0.02));
    this.patch_embed = this.addModule('patch_embed', new PatchEmbed(patchSize, config.inChannels, D, random));
    this.blocks = this.addModule(
      'blocks',
      new ModuleList(
        Array.from(
          { length: config.depth },
          () =>
            new ViTBlock({
              dim: D,
              numHeads: config.numHeads,
              mlpHidden: config.mlpHidden,
              mlp: config.mlp,
              layerNormEps: config.layerNormEps,
              random,
            }),
        ),
      ),
    );
    this.norm = this.addModule('norm', new LayerNorm(D, config.layerNormEps));
    // A frozen encoder: no parameter is trained or differentiated.
    this.freeze();
  }

  /** images: [B, H, W, 3] in [−1, 1] → [B, imgSize, imgSize, 3], ImageNet-normalised */
  preprocess(images: Tensor): Tensor {
    return preprocessForEncoder(images, { size: this.imgSize });
  }

  /**
   * timm's `forward_features`: patch embedding, prefix tokens and positions, blocks, final norm.
   * Records `patch_tokens`, `embed_with_pos` and `block{i}_out` when asked.
   * x: [B, imgSize, imgSize, 3] (preprocessed) → [B, P + N, D]
   */
  forwardFeatures(x: Tensor, record?: FeatureRecorder): Tensor {
    this.checkInput(x);
    return tf.tidy(() => {
      const B = x.shape[0];
      const patches = this.patch_embed.forward(x);
      record?.('patch_tokens', patches);
      const cls = tf.broadcastTo(this.cls_token.value, [B, 1, this.embedDim]);
      let h: Tensor;
      if (this.reg_token) {
        const registers = tf.broadcastTo(this.reg_token.value, [B, this.config.regTokens, this.embedDim]);
        h = tf.concat([cls, registers, tf.add(patches, this.pos_embed.value)], 1);
      } else {
        h = tf.add(tf.concat([cls, patches], 1), this.pos_embed.value);
      }
      record?.('embed_with_pos', h);
      this.blocks.items.forEach((block, i) => {
        h = block.forward(h);
        record?.(`block${i}_out`, h);
      });
      return this.norm.forward(h);
    });
  }

  /** Patch tokens of images in [−1, 1] (resized to imgSize when needed). images: [B, H, W, 3] → [B, N, D] */
  encode(images: Tensor): Tensor {
    return tf.tidy(() => {
      const features = this.forwardFeatures(this.preprocess(images));
      return tf.slice(features, [0, this.numPrefixTokens, 0], [-1, -1, -1]);
    });
  }

  private checkInput(x: Tensor): void {
    const { imgSize, config } = this;
    const [, H, W, C] = x.shape;
    if (x.rank !== 4 || H !== imgSize || W !== imgSize || C !== config.inChannels) {
      throw new Error(
        `${this.label} at ${imgSize} px expects preprocessed images [B, ${imgSize}, ${imgSize}, ${config.inChannels}] (NHWC), got [${x.shape.join(', ')}]; ` +
          'pass images in [−1, 1] of any size to encode(), or resize and normalise them with preprocess() first',
      );
    }
  }
}
