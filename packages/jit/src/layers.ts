import { tf, type Tensor } from '@pixelrepa/tensor';
import { Linear, Module, RMSNorm, Sequential, SiLU, convPatchLayout, modulate, pointwiseConvLayout, type RandomSource } from '@pixelrepa/nn';

export { AdaLNBlock as JiTBlock, type AdaLNBlockConfig as JiTBlockConfig, type Recorder } from '@pixelrepa/nn';

/**
 * Bottleneck patch embedding: p×p conv to `bottleneck` channels (no bias), then 1×1 conv to the
 * width. Both are matmuls on patch vectors. patches: [B, N, p·p·C] → [B, N, D]
 */
export class BottleneckPatchEmbed extends Module {
  readonly proj1: Linear;
  readonly proj2: Linear;
  constructor(patchSize: number, inChannels: number, bottleneck: number, hidden: number, random?: RandomSource) {
    super();
    this.proj1 = this.addModule(
      'proj1',
      new Linear({
        inFeatures: patchSize * patchSize * inChannels,
        outFeatures: bottleneck,
        bias: false,
        weightLayout: convPatchLayout(inChannels, patchSize),
        random,
      }),
    );
    this.proj2 = this.addModule('proj2', new Linear({ inFeatures: bottleneck, outFeatures: hidden, weightLayout: pointwiseConvLayout, random }));
  }

  forward(patches: Tensor): Tensor {
    return tf.tidy(() => this.proj2.forward(this.proj1.forward(patches)));
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
    this.adaLN_modulation = this.addModule(
      'adaLN_modulation',
      new Sequential(SiLU(), new Linear({ inFeatures: hiddenSize, outFeatures: 2 * hiddenSize, random })),
    );
  }

  forward(x: Tensor, c: Tensor): Tensor {
    return tf.tidy(() => {
      const [shift, scale] = tf.split(this.adaLN_modulation.forward(c), 2, -1);
      return this.linear.forward(modulate(this.norm_final.forward(x), shift, scale));
    });
  }
}
