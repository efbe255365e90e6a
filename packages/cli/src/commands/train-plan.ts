// What a `pixelrepa train` command line asks for, decided in one place: a new run from its flags,
// or a resumed run from its folder (flags.json + the checkpoint's config) with the flags given now on top.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { validateJiTConfig } from '@pixelrepa/jit';
import { resumedConfig, trainConfigModel, type TrainConfig } from '@pixelrepa/train';
import { readCheckpointInfo, resolveResumePath } from '@pixelrepa/train/node';
import { UsageError, messageOf } from '../errors.js';
import { readFlagsFile, resolveFlagPath, type FlagValues, type ParsedCommandLine } from '../flags.js';
import { ignoredOnResume, trainConfigFromFlags } from './train-config.js';
import { trainFlags } from './train-flags.js';
import { applyRecipe, recipeAssetMissing, type TrainRecipeName } from './train-recipes.js';

export type TrainFlagValues = FlagValues<typeof trainFlags>;

export interface TrainPlan {
  /** The flags the run uses, every path absolute. */
  values: TrainFlagValues;
  config: Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'batchSize'>;
  outDir: string;
  resume?: {
    /** The checkpoint file it continues from. */
    checkpoint: string;
    /** The run folder (holding flags.json, log.jsonl and checkpoints/). */
    runDir: string;
    /** The run's flags.json, when it has one. */
    flagsFile?: string;
    /** Run-defining flags given now that differ from the run's config (the run's config wins). */
    ignored: string[];
  };
}

/**
 * A new run: the flags, with paths resolved against `cwd`. A resumed run (`--resume <run>`):
 * everything it was started with (its flags.json: data, encoder, backend…; output folder = the run
 * folder), with the flags given now overriding it, and the model and optimisation config from the
 * checkpoint (only `--steps` may change it).
 */
export function planTrainRun({ values, given }: Pick<ParsedCommandLine<typeof trainFlags>, 'values' | 'given'>, cwd: string): TrainPlan {
  if (values.resume === undefined) {
    const recipe = values.recipe as TrainRecipeName | undefined;
    const absolute = withAbsolutePaths(recipe ? applyRecipe(recipe, values, given) : values, cwd);
    const missing = recipe && recipeAssetMissing(recipe, absolute, given);
    if (missing) throw new UsageError(missing);
    const config = withoutUndefined(trainConfigFromFlags(absolute));
    checkModel(config);
    checkData(absolute);
    return { values: absolute, config, outDir: absolute.output_dir };
  }
  if (values.init_from !== undefined)
    throw new UsageError('--init_from starts a new run; a resumed run continues from its own checkpoint (leave out one of them)');
  const checkpoint = findResumeCheckpoint(resolve(cwd, values.resume));
  const runDir = runFolderOf(checkpoint);
  const flagsFile = existsSync(join(runDir, 'flags.json')) ? join(runDir, 'flags.json') : undefined;
  const saved = flagsFile ? readFlagsFile({ name: 'train', flags: trainFlags }, flagsFile) : {};
  const now = Object.fromEntries([...given].map((name) => [name, values[name]]));
  const merged = withAbsolutePaths({ ...values, ...saved, ...now, output_dir: given.has('output_dir') ? values.output_dir : runDir } as TrainFlagValues, cwd);
  const savedConfig = readCheckpointInfo(checkpoint)?.config;
  if (!savedConfig)
    throw new UsageError(
      `cannot resume from ${checkpoint}: it is not a training checkpoint of pixelrepa train (no "pixelrepa" metadata); to start from official weights, convert them and train from scratch`,
    );
  const ignored = ignoredOnResume(given, trainConfigFromFlags(merged), savedConfig);
  const config = resumedConfig(savedConfig, { steps: given.has('steps') ? values.steps : undefined });
  checkData(merged, flagsFile ? undefined : runDir);
  return { values: merged, config, outDir: merged.output_dir, resume: { checkpoint, runDir, flagsFile, ignored } };
}

/** The model the flags describe must be buildable (checked before any data is read or encoder downloaded). */
function checkModel(config: Pick<TrainConfig, 'model' | 'modelOverrides'>): void {
  try {
    validateJiTConfig(trainConfigModel(config));
  } catch (error) {
    throw new UsageError(`${messageOf(error)}: check --model, --img_size and --model_overrides`);
  }
}

/** Exactly one source of training data. */
function checkData(values: TrainFlagValues, runWithoutFlags?: string): void {
  // --data fashion-mnist may name the folder of its official files with --data_path.
  if (values.data === 'procedural' && values.data_path !== undefined) throw new UsageError('give either --data procedural or --data_path <folder>, not both');
  if (values.data_split !== undefined && values.data !== 'fashion-mnist')
    throw new UsageError(
      `--data_split ${values.data_split} chooses a split of --data fashion-mnist; the ${values.data ?? 'image folder'} data has no splits (leave it out)`,
    );
  if (values.data === undefined && values.data_path === undefined) {
    const hint = runWithoutFlags ? ` (the run in ${runWithoutFlags} has no flags.json to take them from)` : '';
    throw new UsageError(`no training data: pass --data_path <image folder or packed cache>, --data fashion-mnist or --data procedural${hint}`);
  }
}

/** A resume target must exist: a missing one is an error, never a fresh start. */
function findResumeCheckpoint(target: string): string {
  try {
    return resolveResumePath(target);
  } catch (error) {
    throw new UsageError(`${messageOf(error)}; check --resume, or leave it out to start a new run`);
  }
}

/** `run/checkpoints/checkpoint-9.safetensors` → `run`; a checkpoint elsewhere → its folder. */
function runFolderOf(checkpoint: string): string {
  const folder = dirname(checkpoint);
  return basename(folder) === 'checkpoints' ? dirname(folder) : folder;
}

function withAbsolutePaths(values: TrainFlagValues, cwd: string): TrainFlagValues {
  const out: Record<string, unknown> = { ...values };
  for (const [name, flag] of Object.entries(trainFlags)) out[name] = resolveFlagPath(flag, out[name], cwd);
  return out as TrainFlagValues;
}

export function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
