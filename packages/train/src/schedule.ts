/** Learning-rate schedule of the reference recipe (MAE-style `adjust_learning_rate`). */
export interface LearningRateSchedule {
  /** Peak learning rate (`blr · batch / 256` in the reference). */
  lr: number;
  minLr?: number;
  /** Linear warm-up from 0 over this many epochs (fractional epochs allowed). */
  warmupEpochs: number;
  /** Total epochs (for the cosine decay). */
  epochs: number;
  schedule?: 'constant' | 'cosine';
}

/**
 * The learning rate at a fractional `epoch` (step / stepsPerEpoch + epochIndex), in float64 exactly
 * as the reference computes it: `lr·epoch/warmup` during warm-up, then constant or half-cycle cosine
 * down to `minLr`.
 */
export function learningRate(epoch: number, { lr, minLr = 0, warmupEpochs, epochs, schedule = 'constant' }: LearningRateSchedule): number {
  if (epoch < warmupEpochs) return (lr * epoch) / warmupEpochs;
  if (schedule === 'constant') return lr;
  if (schedule === 'cosine') return minLr + (lr - minLr) * 0.5 * (1 + Math.cos((Math.PI * (epoch - warmupEpochs)) / (epochs - warmupEpochs)));
  throw new Error(`unknown learning-rate schedule "${schedule as string}" (constant or cosine)`);
}

/** The reference's scaling rule: absolute lr = blr · effective batch / 256. */
export function scaledLearningRate(blr: number, effectiveBatch: number): number {
  return (blr * effectiveBatch) / 256;
}
