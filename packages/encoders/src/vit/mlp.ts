import { tf, type Tensor } from '@pixelrepa/tensor';
import { Linear, Module, gelu, silu, type RandomSource } from '@pixelrepa/nn';

/** Which feed-forward a ViT block uses: timm `Mlp` (GELU) or `SwiGLUPacked` (DINOv2 ViT-g). */
export type MlpKind = 'gelu' | 'swiglu-packed';

/**
 * timm's `Mlp` (`fc2(gelu(fc1(x)))`, exact erf GELU) or `SwiGLUPacked` (`GluMlp` with SiLU and
 * gate_last = False): fc1 gives [a | b] of `hidden / 2` each and `fc2(silu(a) · b)`.
 * `hidden` is fc1's output width in both cases.
 */
export class ViTMlp extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;

  constructor(
    readonly dim: number,
    readonly hidden: number,
    readonly kind: MlpKind,
    random?: RandomSource,
  ) {
    super();
    if (kind === 'swiglu-packed' && hidden % 2 !== 0) throw new Error(`SwiGLUPacked needs an even hidden width, got ${hidden}`);
    const fc2In = kind === 'gelu' ? hidden : hidden / 2;
    this.fc1 = this.addModule('fc1', new Linear({ inFeatures: dim, outFeatures: hidden, random }));
    this.fc2 = this.addModule('fc2', new Linear({ inFeatures: fc2In, outFeatures: dim, random }));
  }

  /** x: [B, N, D] → [B, N, D] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const h = this.fc1.forward(x);
      if (this.kind === 'gelu') return this.fc2.forward(gelu(h));
      const [gate, value] = tf.split(h, 2, -1);
      return this.fc2.forward(tf.mul(silu(gate), value));
    });
  }
}
