import { tf, type Tensor } from '@pixelrepa/tensor';
import { flowStep, velocityLoss, type FlowDraws, type FlowMatchingConfig, type JiT } from '@pixelrepa/jit';
import type { AlignmentObjective } from '@pixelrepa/align';

export interface TrainingBatch {
  /** [B, H, W, C] clean images in [−1, 1]. */
  images: Tensor;
  /** [B] int32 labels. */
  labels: Tensor;
  /** [B, N, Dz] encoder tokens of the clean images (needed when an objective is used). */
  target?: Tensor;
}

export interface TrainingDraws extends FlowDraws {
  /** [B, N] uniform draws for PixelREPA's token mask. */
  maskNoise?: Tensor;
}

export interface LossParts {
  total: Tensor;
  jit: Tensor;
  /** Unweighted alignment loss (absent without an objective). */
  align?: Tensor;
}

/**
 * The training loss of JiT with an optional alignment objective on the encoder half's tokens:
 * `L = L_v + λ · L_align` (PixelREPA: λ = 0.1; REPA: 0.5). Must run inside a gradient scope.
 */
export function trainingLoss(
  jit: JiT,
  objective: AlignmentObjective | undefined,
  flow: FlowMatchingConfig,
  batch: TrainingBatch,
  draws: TrainingDraws,
): LossParts {
  const step = flowStep(batch.images, batch.labels, draws, flow);
  // The t/y conditioning once for both halves (one subgraph, one gradient through the embedders).
  const conditioning = jit.condition(step.t, step.labels);
  const tokens = jit.forwardEncoder(step.z, step.t, step.labels, { conditioning });
  const xPred = jit.forwardDecoder(tokens, step.t, step.labels, { conditioning });
  const { loss } = velocityLoss(xPred, step, flow.tEps);
  if (!objective) return { total: loss, jit: loss };
  if (!batch.target) throw new Error(`the ${objective.kind} objective needs the encoder's target tokens for the batch`);
  const align = objective.compute({ tokens, target: batch.target, t: step.t, y: step.labels, maskNoise: draws.maskNoise });
  return { total: tf.add(loss, tf.mul(align.loss, objective.weight)), jit: loss, align: align.loss };
}
