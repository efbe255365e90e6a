import { tf, type Tensor } from '@pixelrepa/tensor';
import { Attention, LayerNorm, Module, type RandomSource } from '@pixelrepa/nn';
import { LayerScale } from './layer-scale.js';
import { ViTMlp, type MlpKind } from './mlp.js';

export interface ViTBlockConfig {
  dim: number;
  numHeads: number;
  mlpHidden: number;
  mlp: MlpKind;
  layerNormEps: number;
  random?: RandomSource;
}

/**
 * timm's pre-norm ViT `Block` with LayerScale:
 * `x += ls1(attn(norm1(x)))`, then `x += ls2(mlp(norm2(x)))`.
 */
export class ViTBlock extends Module {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly ls1: LayerScale;
  readonly norm2: LayerNorm;
  readonly mlp: ViTMlp;
  readonly ls2: LayerScale;

  constructor({ dim, numHeads, mlpHidden, mlp, layerNormEps, random }: ViTBlockConfig) {
    super();
    this.norm1 = this.addModule('norm1', new LayerNorm(dim, layerNormEps));
    this.attn = this.addModule('attn', new Attention({ dim, numHeads, qkvBias: true, qkNorm: false, scaleQueries: true, random }));
    this.ls1 = this.addModule('ls1', new LayerScale(dim));
    this.norm2 = this.addModule('norm2', new LayerNorm(dim, layerNormEps));
    this.mlp = this.addModule('mlp', new ViTMlp(dim, mlpHidden, mlp, random));
    this.ls2 = this.addModule('ls2', new LayerScale(dim));
  }

  /** x: [B, N, D] → [B, N, D] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, this.ls1.forward(this.attn.forward(this.norm1.forward(x))));
      return tf.add(h, this.ls2.forward(this.mlp.forward(this.norm2.forward(h))));
    });
  }
}
