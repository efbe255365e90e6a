import type { Tensor } from '@pixelrepa/tensor';
import type { Module, RandomSource } from '@pixelrepa/nn';

/** What an alignment objective reads from a training step of any diffusion model. */
export interface AlignmentInputs {
  /** [B, N, D] the diffusion model's hidden tokens (for JiT: the encoder half's output). */
  tokens: Tensor;
  /** [B, N, Dz] the frozen encoder's patch tokens of the clean image (prefix tokens dropped). */
  target: Tensor;
  /** [B] times, for objectives that condition on them. */
  t?: Tensor;
  /** [B] int32 labels (after label dropout), for objectives that condition on them. */
  y?: Tensor;
  /** [B, N] uniform draws for token masking (PixelREPA); else drawn from `random`. */
  maskNoise?: Tensor;
  random?: RandomSource;
}

export interface AlignmentResult {
  /** Scalar, unweighted: add `weight · loss` to the diffusion loss. */
  loss: Tensor;
  /** Named tensors worth logging or checking (e.g. `cosSim` [B, N]). */
  parts: Record<string, Tensor>;
}

/**
 * A representation-alignment objective. It owns its trainable parameters (a projector or an
 * adapter) as a Module with PyTorch state-dict names; the caller decides where `tokens` come from.
 */
export interface AlignmentObjective extends Module {
  readonly kind: 'repa' | 'pixelrepa' | string;
  /** λ in `L = L_diffusion + λ · L_align`. */
  readonly weight: number;
  compute(inputs: AlignmentInputs): AlignmentResult;
}

export function checkAlignmentShapes({ tokens, target }: AlignmentInputs, width: number, targetWidth: number): void {
  if (tokens.rank !== 3 || tokens.shape[2] !== width) {
    throw new Error(`alignment tokens must be [B, N, ${width}], got [${tokens.shape.join(', ')}]`);
  }
  if (target.rank !== 3 || target.shape[0] !== tokens.shape[0] || target.shape[1] !== tokens.shape[1] || target.shape[2] !== targetWidth) {
    throw new Error(
      `alignment target must be [${tokens.shape[0]}, ${tokens.shape[1]}, ${targetWidth}] (one encoder token per model token), got [${target.shape.join(', ')}]`,
    );
  }
}
