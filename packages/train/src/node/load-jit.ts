// The JiT weights to sample from, in whatever the user points at: a training checkpoint of
// ours, a run folder, an official PyTorch `.pth`, or exported JiT weights (`convert`).
import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { CheckpointValue, RawTensor } from '@pixelrepa/io';
import { readSafetensorsFile, readTorchCheckpointFile } from '@pixelrepa/io/node';
import { JiT, describeJiTState, jitConfig, jitPresets, jitStateDict, loadJiTWeights, type CheckpointWeights, type JiTConfig } from '@pixelrepa/jit';
import { trainConfigModel } from '../config.js';
import { CheckpointInputError } from '../errors.js';
import { checkpointInfoOf, resolveResumePath } from './checkpoint.js';

/** Metadata key of weights written by `pixelrepa convert`: what the source checkpoint said about the model. */
export const exportedModelKey = 'pixelrepa_jit';

/** What a checkpoint says about sampling besides the weights (official `args`: cfg, interval). */
export interface SamplingHints {
  cfg?: number;
  intervalMin?: number;
  intervalMax?: number;
  noiseScale?: number;
  tEps?: number;
  /** Our training checkpoints' EMAs: the decay and how many updates it has had (one per step). */
  ema?: { weights: 'model_ema1' | 'model_ema2'; decay: number; updates: number };
}

export interface LoadedJiT {
  model: JiT;
  config: JiTConfig;
  /** For messages: `checkpoint-200.safetensors (ours, step 200, model_ema1)`. */
  description: string;
  hints: SamplingHints;
}

export interface LoadJiTOptions {
  checkpoint: string;
  weights: CheckpointWeights;
  /** A preset overriding what the checkpoint says (needed for bare exported weights without metadata). */
  model?: string;
  imgSize?: number;
  classNum?: number;
  /** Any other JiTConfig fields (`{"depth": 2}`) for custom models. */
  modelOverrides?: Partial<JiTConfig>;
}

/**
 * Builds the JiT a checkpoint describes and loads the chosen weights (`model_ema1` is what the
 * papers sample with). The kind of file is recognised by its extension and metadata.
 */
export function loadJiTForSampling(options: LoadJiTOptions): LoadedJiT {
  const path = findCheckpointFile(options.checkpoint);
  const found = extname(path) === '.safetensors' ? readSafetensorsCheckpoint(path, options.weights) : readOfficialCheckpoint(path, options.weights);
  const presetName = options.model ?? found.preset;
  let config: JiTConfig;
  if (found.config && !options.model) config = { ...found.config };
  else if (presetName) config = jitConfig(presetName);
  else {
    const shapes = describeJiTState(found.state);
    const guess = shapes.preset
      ? `its shapes match ${shapes.preset}: pass --model ${shapes.preset}`
      : `its shapes say depth ${shapes.depth}, width ${shapes.hiddenSize ?? '?'}, patch ${shapes.patchSize ?? '?'}: pass --model <preset> with --model_overrides for the rest`;
    throw new CheckpointInputError(`${path} holds JiT weights but does not say which model they belong to; ${guess}`);
  }
  const overrides: Partial<JiTConfig> = {
    ...(found.overrides ?? {}),
    ...(options.imgSize !== undefined ? { inputSize: options.imgSize } : {}),
    ...(options.classNum !== undefined ? { numClasses: options.classNum } : {}),
    ...options.modelOverrides,
  };
  config = { ...config, ...overrides };
  checkShapesFit(path, config, found.state);
  const model = new JiT(config);
  try {
    loadJiTWeights(model, found.state);
  } catch (error) {
    model.dispose();
    throw error;
  }
  model.eval();
  return { model, config, description: `${basename(path)} (${found.kind}, ${options.weights})`, hints: found.hints };
}

/**
 * Fails before a large model is built when the weights' depth, width or patch size differ from
 * the config (loading then names every other mismatch).
 */
function checkShapesFit(path: string, config: JiTConfig, state: Map<string, RawTensor>): void {
  const found = describeJiTState(state);
  if (found.depth === config.depth && found.hiddenSize === config.hiddenSize && found.patchSize === config.patchSize) return;
  const weights = `depth ${found.depth}, width ${found.hiddenSize ?? '?'}, patch ${found.patchSize ?? '?'}${found.preset ? ` (${found.preset})` : ''}`;
  const wanted = `depth ${config.depth}, width ${config.hiddenSize}, patch ${config.patchSize}`;
  const preset = Object.entries(jitPresets).find(
    ([, c]) => c.depth === config.depth && c.hiddenSize === config.hiddenSize && c.patchSize === config.patchSize,
  )?.[0];
  throw new Error(
    `the weights in ${path} are ${weights}, but this model is ${preset ?? 'a custom JiT'} (${wanted}); pass the --model (and --model_overrides) they were trained with`,
  );
}

/** A file, or the newest checkpoint of a run folder; a missing path is an error for people. */
export function findCheckpointFile(target: string): string {
  if (!existsSync(target))
    throw new CheckpointInputError(`--checkpoint ${target} does not exist; expected a checkpoint file (.safetensors or .pth) or a run folder`);
  return statSync(target).isDirectory() ? resolveResumePath(target) : target;
}

interface FoundWeights {
  kind: string;
  state: Map<string, RawTensor>;
  config?: JiTConfig;
  preset?: string;
  overrides?: Partial<JiTConfig>;
  hints: SamplingHints;
}

/** Ours (`pixelrepa` metadata: a training checkpoint) or exported JiT weights. */
function readSafetensorsCheckpoint(path: string, weights: CheckpointWeights): FoundWeights {
  const file = readSafetensorsFile(path);
  const info = checkpointInfoOf(path, file.metadata);
  if (info) {
    const state = trainingCheckpointWeights(path, file.tensors, weights);
    const ema =
      weights === 'model' ? undefined : { weights, decay: weights === 'model_ema1' ? info.config.ema_decay1 : info.config.ema_decay2, updates: info.step };
    return {
      kind: `ours, step ${info.step}`,
      state,
      config: trainConfigModel(info.config),
      hints: { noiseScale: info.config.noise_scale, tEps: info.config.t_eps, ema },
    };
  }
  const exported = file.metadata[exportedModelKey] ? (JSON.parse(file.metadata[exportedModelKey]) as Record<string, unknown>) : undefined;
  // Exports of our runs carry the whole config (presets with overrides, custom models).
  const config = exported?.model_config && typeof exported.model_config === 'object' ? (exported.model_config as JiTConfig) : undefined;
  return { kind: 'exported JiT weights', state: jitStateDict(file.tensors), config, ...fromReferenceArgs(exported) };
}

function readOfficialCheckpoint(path: string, weights: CheckpointWeights): FoundWeights {
  let checkpoint: { [key: string]: CheckpointValue };
  try {
    checkpoint = readTorchCheckpointFile(path, { select: [weights, 'args'], widenHalf: true });
  } catch (error) {
    if (!/top-level key "args"/.test(String((error as Error).message))) throw error;
    checkpoint = readTorchCheckpointFile(path, { select: [weights], widenHalf: true });
  }
  const args = checkpoint.args && typeof checkpoint.args === 'object' ? (checkpoint.args as Record<string, unknown>) : undefined;
  const state = jitStateDict(checkpoint, weights);
  return { kind: 'official PyTorch checkpoint', state, ...fromReferenceArgs(args) };
}

/**
 * The JiT weights in one of our training checkpoints' tensors, under JiT's names: `model_ema1.*`,
 * `model_ema2.*`, or the live weights `model.net.*`.
 */
export function trainingCheckpointWeights(path: string, tensors: Map<string, RawTensor>, weights: CheckpointWeights): Map<string, RawTensor> {
  const prefix = weights === 'model' ? 'model.net.' : `${weights}.`;
  const state = new Map([...tensors].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
  if (state.size === 0) throw new CheckpointInputError(`${path} has no ${weights} weights (no tensor starts with "${prefix}")`);
  return state;
}

/** The reference's argparse flags (`model`, `img_size`, `class_num`, `cfg`, …) → model and hints. */
export function fromReferenceArgs(args: Record<string, unknown> | undefined): Pick<FoundWeights, 'preset' | 'overrides' | 'hints'> {
  if (!args) return { hints: {} };
  const number = (key: string) => (typeof args[key] === 'number' ? (args[key] as number) : undefined);
  const overrides: Partial<JiTConfig> = {};
  if (number('img_size') !== undefined) overrides.inputSize = number('img_size');
  if (number('class_num') !== undefined) overrides.numClasses = number('class_num');
  return {
    preset: typeof args.model === 'string' ? args.model : undefined,
    overrides,
    hints: {
      cfg: number('cfg'),
      intervalMin: number('interval_min'),
      intervalMax: number('interval_max'),
      noiseScale: number('noise_scale'),
      tEps: number('t_eps'),
    },
  };
}
