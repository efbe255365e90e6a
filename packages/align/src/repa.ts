import { tf } from '@pixelrepa/tensor';
import { Linear, Module, ModuleList, Sequential, SiLU, tfRandomSource, type RandomSource } from '@pixelrepa/nn';
import { checkAlignmentShapes, type AlignmentInputs, type AlignmentObjective, type AlignmentResult } from './objective.js';
import { normalize } from './cosine.js';

export interface RepaConfig {
  /** Width of the diffusion model's tokens. */
  hiddenSize: number;
  /** Width of the encoder's tokens (768 for DINOv2 ViT-B). */
  targetSize: number;
  /** Projector width (REPA: 2048). */
  projectorDim?: number;
  /** λ (REPA: 0.5). */
  weight?: number;
  random?: RandomSource;
}

/** REPA's projector `Linear → SiLU → Linear → SiLU → Linear` (keys `0`, `2`, `4`). */
export function repaProjector(hidden: number, projectorDim: number, out: number, random: RandomSource = tfRandomSource): Sequential {
  return new Sequential(
    new Linear({ inFeatures: hidden, outFeatures: projectorDim, random }),
    SiLU(),
    new Linear({ inFeatures: projectorDim, outFeatures: projectorDim, random }),
    SiLU(),
    new Linear({ inFeatures: projectorDim, outFeatures: out, random }),
  );
}

/**
 * REPA (Yu et al. 2024): project the hidden tokens with an MLP and maximise their cosine
 * similarity with the encoder's tokens: loss = −mean cos over tokens and batch (range [−1, 1]).
 * State-dict keys follow REPA's SiT: `projectors.0.{0,2,4}.{weight,bias}`.
 */
export class RepaObjective extends Module implements AlignmentObjective {
  readonly kind = 'repa';
  readonly weight: number;
  readonly projector: Sequential;

  constructor(readonly config: RepaConfig) {
    super();
    this.weight = config.weight ?? 0.5;
    this.projector = repaProjector(config.hiddenSize, config.projectorDim ?? 2048, config.targetSize, config.random);
    this.addModule('projectors', new ModuleList([this.projector]));
  }

  compute(inputs: AlignmentInputs): AlignmentResult {
    checkAlignmentShapes(inputs, this.config.hiddenSize, this.config.targetSize);
    return tf.tidy(() => {
      const projected = this.projector.forward(inputs.tokens);
      // REPA's SILoss: the dot product of the normalised vectors (no second clamp).
      const cosSim = tf.sum(tf.mul(normalize(inputs.target), normalize(projected)), -1);
      return { loss: tf.neg(tf.mean(cosSim)), parts: { projected, cosSim } };
    }) as AlignmentResult;
  }
}
