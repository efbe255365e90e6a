import type { JiTConfig } from '@pixelrepa/jit';
import type { TrainConfig } from '@pixelrepa/train';
import type { FlagValues } from '../flags.js';
import { UsageError } from '../errors.js';
import { flagFields } from './train-fields.js';
import type { trainFlags } from './train-flags.js';

type TrainFlagValues = FlagValues<typeof trainFlags>;

/** Which config field each run-defining flag sets (to say which flags a resumed run ignores). */
const { steps: _steps, ...runDefining } = flagFields; // --steps may extend a resumed run
const configFieldOfFlag: Partial<Record<string, keyof TrainConfig>> = {
  ...runDefining,
  img_size: 'modelOverrides',
  class_num: 'modelOverrides',
  model_overrides: 'modelOverrides',
  betas: 'betas',
};

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
  const config: Record<string, unknown> = { modelOverrides, betas: [values.betas[0], values.betas[1]] };
  for (const [flag, field] of Object.entries(flagFields)) config[field] = values[flag as keyof typeof flagFields];
  return config as Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'batchSize'>;
}

/** Flags given for a resumed run whose values differ from the run's saved config (which wins). */
export function ignoredOnResume(given: Set<string>, fromFlags: Partial<TrainConfig>, saved: TrainConfig): string[] {
  const ignored: string[] = [];
  for (const flag of given) {
    const field = configFieldOfFlag[flag];
    if (field && JSON.stringify(fromFlags[field]) !== JSON.stringify(saved[field])) ignored.push(`--${flag}`);
  }
  return ignored;
}
