import { jitConfig, type JiTConfig } from '@pixelrepa/jit';
import type { MTAConfig } from '@pixelrepa/adapter';

export type ObjectiveKind = 'none' | 'repa' | 'pixelrepa';

/** Everything that defines a training run (saved in every checkpoint). Names follow the reference's flags. */
export interface TrainConfig {
  /** A JiT preset name (`JiT-B/16`) or a config. */
  model: string | JiTConfig;
  /** Overrides of the preset (e.g. `{ numClasses: 10 }`). */
  modelOverrides?: Partial<JiTConfig>;
  objective: ObjectiveKind;
  /** PixelREPA's adapter preset (`MTA-B/16`) or config; its width, heads, classes and target width follow the model and encoder unless set. */
  adapter?: string | MTAConfig;
  adapterOverrides?: Partial<MTAConfig>;
  /** λ of the alignment loss (default: 0.1 for PixelREPA, 0.5 for REPA). */
  alignWeight?: number;
  /** PixelREPA's token mask ratio (`--patch_mask_ratio`, default 0.2). */
  maskRatio?: number;
  /** REPA's projector width (default 2048). */
  projectorDim?: number;
  P_mean: number;
  P_std: number;
  t_eps: number;
  noise_scale: number;
  label_drop_prob: number;
  batchSize: number;
  /** Total optimisation steps. */
  steps: number;
  /** Base learning rate: lr = blr · batch / 256 unless `lr` is given. */
  blr: number;
  lr?: number;
  min_lr: number;
  warmup_epochs: number;
  /** Epochs the schedule spans (cosine); defaults to steps / stepsPerEpoch. */
  epochs?: number;
  lr_schedule: 'constant' | 'cosine';
  weight_decay: number;
  betas: [number, number];
  ema_decay1: number;
  ema_decay2: number;
  seed: number;
  /** Write a checkpoint every N steps (and at the end). */
  checkpointEvery: number;
  /** Checkpoints kept (oldest removed). */
  keepLast: number;
}

/** The reference recipe's defaults (ImageNet 256, PixelREPA). */
export const defaultTrainConfig: Omit<TrainConfig, 'model' | 'steps' | 'batchSize'> = {
  objective: 'pixelrepa',
  P_mean: -0.8,
  P_std: 0.8,
  t_eps: 0.05,
  noise_scale: 1,
  label_drop_prob: 0.1,
  blr: 5e-5,
  min_lr: 0,
  warmup_epochs: 5,
  lr_schedule: 'constant',
  weight_decay: 0,
  betas: [0.9, 0.95],
  ema_decay1: 0.9999,
  ema_decay2: 0.9996,
  seed: 0,
  checkpointEvery: 1000,
  keepLast: 3,
};

/**
 * The reference run's choices besides `defaultTrainConfig` (main_pixelREPA.py's argparse
 * defaults): the model, the batch, PixelREPA's adapter and mask ratio. Together they are the one
 * table the CLI's flag defaults are read from.
 */
export const referenceRun = {
  model: 'JiT-B/16',
  batchSize: 128,
  adapter: 'MTA-B/16',
  maskRatio: 0.2,
} as const satisfies Partial<TrainConfig>;

/** Fills defaults and checks values, naming the flag that is wrong. */
export function resolveTrainConfig(partial: Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'steps' | 'batchSize'>): TrainConfig {
  const config = { ...defaultTrainConfig, ...partial } as TrainConfig;
  const problems: string[] = [];
  const positiveInt = (key: keyof TrainConfig) => {
    const value = config[key];
    if (!(Number.isInteger(value) && (value as number) >= 1)) problems.push(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
  };
  positiveInt('batchSize');
  positiveInt('steps');
  positiveInt('checkpointEvery');
  positiveInt('keepLast');
  if (!['none', 'repa', 'pixelrepa'].includes(config.objective)) problems.push(`objective must be none, repa or pixelrepa, got "${config.objective}"`);
  if (config.maskRatio !== undefined && !(config.maskRatio >= 0 && config.maskRatio < 1))
    problems.push(`patch_mask_ratio must be in [0, 1), got ${config.maskRatio}`);
  if (!(config.label_drop_prob >= 0 && config.label_drop_prob < 1)) problems.push(`label_drop_prob must be in [0, 1), got ${config.label_drop_prob}`);
  for (const key of ['ema_decay1', 'ema_decay2'] as const)
    if (!(config[key] >= 0 && config[key] < 1)) problems.push(`${key} must be in [0, 1), got ${config[key]}`);
  if (!(config.P_std > 0)) problems.push(`P_std must be positive, got ${config.P_std}`);
  if (problems.length) throw new Error(`invalid training config: ${problems.join('; ')}`);
  return config;
}

/** The absolute learning rate of a config. */
export function peakLearningRate(config: TrainConfig): number {
  return config.lr ?? (config.blr * config.batchSize) / 256;
}

/** The JiTConfig a training config describes (its preset or config, with the overrides applied). */
export function trainConfigModel(config: Pick<TrainConfig, 'model' | 'modelOverrides'>): JiTConfig {
  return typeof config.model === 'string' ? jitConfig(config.model, config.modelOverrides) : { ...config.model, ...config.modelOverrides };
}
