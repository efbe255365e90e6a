import { tf, type Tensor } from '@pixelrepa/tensor';
import { Linear, Module, convPatchLayout, patchify, type RandomSource } from '@pixelrepa/nn';

/** timm's `PatchEmbed`: a p×p stride-p conv (`proj`, with bias) as a matmul on patch vectors. */
export class PatchEmbed extends Module {
  readonly proj: Linear;

  constructor(
    readonly patchSize: number,
    readonly inChannels: number,
    embedDim: number,
    random?: RandomSource,
  ) {
    super();
    this.proj = this.addModule(
      'proj',
      new Linear({
        inFeatures: patchSize * patchSize * inChannels,
        outFeatures: embedDim,
        weightLayout: convPatchLayout(inChannels, patchSize),
        random,
      }),
    );
  }

  /** images: [B, H, W, C] → [B, (H/p)·(W/p), D] */
  forward(images: Tensor): Tensor {
    return tf.tidy(() => this.proj.forward(patchify(images, this.patchSize)));
  }
}
