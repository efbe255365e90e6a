import { tf, type Tensor } from '@pixelrepa/tensor';
import { valueAndGrads } from '@pixelrepa/nn';
import type { FlowMatchingConfig, JiT } from '@pixelrepa/jit';
import type { AlignmentObjective } from '@pixelrepa/align';
import { adamwUpdate, type AdamWConfig, type AdamWState, type OptimizedParameter } from './adamw.js';
import type { Ema } from './ema.js';
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

export interface StepResult {
  loss: number;
  lossJit: number;
  lossAlign?: number;
}

/**
 * One optimisation step as the reference's `train_one_epoch` iteration: loss, backward, AdamW at
 * `lr`, then every EMA. Leaves no tensors behind.
 */
export async function trainStep(context: StepContext, batch: TrainingBatch, draws: TrainingDraws, lr: number): Promise<StepResult> {
  const named = context.parameters.map(({ name, parameter }) => [name, parameter] as [string, typeof parameter]);
  let parts: { jit: Tensor; align?: Tensor } | undefined;
  const { value, grads } = valueAndGrads(() => {
    const loss = trainingLoss(context.jit, context.objective, context.flow, batch, draws);
    parts = { jit: tf.keep(loss.jit), align: loss.align && tf.keep(loss.align) };
    return loss.total;
  }, named);
  adamwUpdate(context.optimizer, context.parameters, grads, lr, context.adamw);
  for (const ema of context.emas) ema.update();
  const [loss, lossJit, lossAlign] = await Promise.all([value.data(), parts!.jit.data(), parts!.align?.data()]);
  tf.dispose([value, parts!.jit, ...(parts!.align ? [parts!.align] : []), ...grads.values()]);
  return { loss: loss[0], lossJit: lossJit[0], lossAlign: lossAlign?.[0] };
}
