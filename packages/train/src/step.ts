import { tf, type Tensor } from '@pixelrepa/tensor';
import { valueAndGrads } from '@pixelrepa/nn';
import type { FlowMatchingConfig, JiT } from '@pixelrepa/jit';
import type { AlignmentObjective } from '@pixelrepa/align';
import { adamwUpdate, type AdamWConfig, type AdamWState, type OptimizedParameter } from './adamw.js';
import { Ema } from './ema.js';
import { trainingLoss, type TrainingBatch, type TrainingDraws } from './loss.js';

export interface StepContext {
  jit: JiT;
  objective?: AlignmentObjective;
  flow: FlowMatchingConfig;
  parameters: OptimizedParameter[];
  optimizer: AdamWState;
  adamw?: AdamWConfig;
  emas: Ema[];
}

/** The parts of a step in order (for profiling): gradients, reading the losses back, AdamW, the EMAs. */
export type StepPhase = 'gradients' | 'losses' | 'optimizer' | 'emas';

export interface StepResult {
  loss: number;
  lossJit: number;
  lossAlign?: number;
}

/** A loss that is NaN or infinite: training stops before the update is applied. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    readonly part: string,
    readonly value: number,
  ) {
    super(`the ${part} loss is ${value}; the update was not applied`);
  }
}

/**
 * One optimisation step as the reference's `train_one_epoch` iteration: loss, backward, AdamW at
 * `lr`, then every EMA. A non-finite loss throws `NonFiniteLossError` before anything changes.
 * Leaves no tensors behind. `phaseDone`, if given, is called as each part of the step ends (profiling).
 */
export async function trainStep(
  context: StepContext,
  batch: TrainingBatch,
  draws: TrainingDraws,
  lr: number,
  phaseDone?: (phase: StepPhase) => void,
): Promise<StepResult> {
  const named = context.parameters.map(({ name, parameter }) => [name, parameter] as [string, typeof parameter]);
  let parts: { jit: Tensor; align?: Tensor } | undefined;
  const { value, grads } = valueAndGrads(() => {
    const loss = trainingLoss(context.jit, context.objective, context.flow, batch, draws);
    parts = { jit: tf.keep(loss.jit), align: loss.align && tf.keep(loss.align) };
    return loss.total;
  }, named);
  phaseDone?.('gradients');
  try {
    const [loss, lossJit, lossAlign] = await Promise.all([value.data(), parts!.jit.data(), parts!.align?.data()]);
    phaseDone?.('losses');
    const result: StepResult = { loss: loss[0], lossJit: lossJit[0], lossAlign: lossAlign?.[0] };
    if (!Number.isFinite(result.lossJit)) throw new NonFiniteLossError('diffusion (v-loss)', result.lossJit);
    if (result.lossAlign !== undefined && !Number.isFinite(result.lossAlign))
      throw new NonFiniteLossError(`${context.objective!.kind} alignment`, result.lossAlign);
    adamwUpdate(context.optimizer, context.parameters, grads, lr, context.adamw);
    phaseDone?.('optimizer');
    Ema.updateAll(context.emas);
    phaseDone?.('emas');
    return result;
  } finally {
    tf.dispose([value, parts!.jit, ...(parts!.align ? [parts!.align] : []), ...grads.values()]);
  }
}
