import type { JiTConfig } from '@pixelrepa/jit';
import type { TrainConfig } from '@pixelrepa/train';
import type { FlagValues } from '../flags.js';
import { UsageError } from '../errors.js';
import type { trainFlags } from './train-flags.js';

type TrainFlagValues = FlagValues<typeof trainFlags>;

/** The training config the flags describe (`steps` is filled in later from the data when only --epochs is given). */
export function trainConfigFromFlags(values: TrainFlagValues): Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'batchSize'> {
  const overrides = values.model_overrides ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new UsageError(`--model_overrides must be a JSON object of JiT config fields (e.g. {"depth": 2}), got ${JSON.stringify(overrides)}`);
  }
  const modelOverrides: Partial<JiTConfig> = {
    ...(values.img_size !== undefined ? { inputSize: values.img_size } : {}),
    ...(values.class_num !== undefined ? { numClasses: values.class_num } : {}),
    ...(overrides as Partial<JiTConfig>),
  };
  if (values.betas.length !== 2) throw new UsageError(`--betas takes two numbers (e.g. 0.9,0.95), got ${values.betas.join(',')}`);
  return {
    model: values.model,
    modelOverrides,
    objective: values.objective,
    adapter: values.mta,
    maskRatio: values.patch_mask_ratio,
    alignWeight: values.align_weight,
    P_mean: values.P_mean,
    P_std: values.P_std,
    t_eps: values.t_eps,
    noise_scale: values.noise_scale,
    label_drop_prob: values.label_drop_prob,
    batchSize: values.batch_size,
    steps: values.steps,
    epochs: values.epochs,
    blr: values.blr,
    lr: values.lr,
    min_lr: values.min_lr,
    warmup_epochs: values.warmup_epochs,
    lr_schedule: values.lr_schedule,
    weight_decay: values.weight_decay,
    betas: [values.betas[0], values.betas[1]],
    ema_decay1: values.ema_decay1,
    ema_decay2: values.ema_decay2,
    seed: values.seed,
    checkpointEvery: values.checkpoint_every,
    keepLast: values.keep_last,
  };
}

/** Which config field each run-defining flag sets (to say which flags a resumed run ignores). */
const configFieldOfFlag: Partial<Record<keyof TrainFlagValues, keyof TrainConfig>> = {
  model: 'model', img_size: 'modelOverrides', class_num: 'modelOverrides', model_overrides: 'modelOverrides',
  objective: 'objective', mta: 'adapter', patch_mask_ratio: 'maskRatio', align_weight: 'alignWeight',
  P_mean: 'P_mean', P_std: 'P_std', t_eps: 't_eps', noise_scale: 'noise_scale', label_drop_prob: 'label_drop_prob',
  batch_size: 'batchSize', epochs: 'epochs', blr: 'blr', lr: 'lr', min_lr: 'min_lr', warmup_epochs: 'warmup_epochs',
  lr_schedule: 'lr_schedule', weight_decay: 'weight_decay', betas: 'betas', ema_decay1: 'ema_decay1', ema_decay2: 'ema_decay2',
  seed: 'seed', checkpoint_every: 'checkpointEvery', keep_last: 'keepLast',
};

/** Flags given for a resumed run whose values differ from the run's saved config (which wins). */
export function ignoredOnResume(given: Set<string>, fromFlags: Partial<TrainConfig>, saved: TrainConfig): string[] {
  const ignored: string[] = [];
  for (const flag of given) {
    const field = configFieldOfFlag[flag as keyof TrainFlagValues];
    if (field && JSON.stringify(fromFlags[field]) !== JSON.stringify(saved[field])) ignored.push(`--${flag}`);
  }
  return ignored;
}
