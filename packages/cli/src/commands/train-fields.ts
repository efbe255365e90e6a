import { defaultTrainConfig, referenceRun, type TrainConfig } from '@pixelrepa/train';

/**
 * The flags that set one config field each, by the same value (the others: `img_size`, `class_num`
 * and `model_overrides` make `modelOverrides`; `betas` is a pair). The one flag → field table:
 * building the config, resumed runs' ignored flags and the flags' defaults (`train-flags.ts`) read it.
 */
export const flagFields = {
  model: 'model',
  objective: 'objective',
  mta: 'adapter',
  patch_mask_ratio: 'maskRatio',
  align_weight: 'alignWeight',
  P_mean: 'P_mean',
  P_std: 'P_std',
  t_eps: 't_eps',
  noise_scale: 'noise_scale',
  label_drop_prob: 'label_drop_prob',
  batch_size: 'batchSize',
  steps: 'steps',
  epochs: 'epochs',
  blr: 'blr',
  lr: 'lr',
  min_lr: 'min_lr',
  warmup_epochs: 'warmup_epochs',
  lr_schedule: 'lr_schedule',
  weight_decay: 'weight_decay',
  ema_decay1: 'ema_decay1',
  ema_decay2: 'ema_decay2',
  seed: 'seed',
  checkpoint_every: 'checkpointEvery',
  keep_last: 'keepLast',
} as const satisfies Partial<Record<string, keyof TrainConfig>>;

/** The reference recipe's value of the field a flag sets: the default of that flag (one table, in @pixelrepa/train). */
export function recipeDefault<F extends keyof typeof flagFields>(flag: F): unknown {
  return ({ ...defaultTrainConfig, ...referenceRun } as Partial<TrainConfig>)[flagFields[flag]];
}
