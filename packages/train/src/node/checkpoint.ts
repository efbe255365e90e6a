import { readdirSync, rmSync, statfsSync, existsSync, statSync, mkdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tf, type Tensor } from '@pixelrepa/tensor';
import { rawStateDict, tensorStateDict } from '@pixelrepa/nn';
import { writeSafetensors, type RawTensor } from '@pixelrepa/io';
import { readSafetensorsFile, readSafetensorsMetadataFile, writeFileAtomic } from '@pixelrepa/io/node';
import type { RandomState } from '@pixelrepa/tensor';
import type { TrainConfig } from '../config.js';
import type { TrainingModules } from '../setup.js';
import { adamwMoment, setAdamwMoments } from '../adamw.js';

const FORMAT = 'pixelrepa-checkpoint';
const FILE = /^checkpoint-(\d+)\.safetensors$/;

/** What a checkpoint holds besides tensors (stored as JSON in the safetensors metadata). */
export interface CheckpointInfo {
  format: typeof FORMAT;
  version: 1;
  /** Optimisation steps completed. */
  step: number;
  config: TrainConfig;
  /** The run's random generator, so a resumed run draws the same numbers. */
  rng: RandomState;
  /** Anything else the trainer needs (e.g. the width of the target encoder). */
  extra: Record<string, unknown>;
}

/**
 * Tensors of a run under the official checkpoint's names: `model.net.*`, `model.<objective>.*`,
 * `model_ema1.*`, `model_ema2.*`, and the AdamW moments `optimizer.exp_avg.<param>` /
 * `optimizer.exp_avg_sq.<param>`; all in PyTorch layout.
 */
function collectTensors(modules: TrainingModules): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, value] of modules.jit.stateDict()) out.set(`model.net.${name}`, value);
  if (modules.objective) {
    const prefix = modules.objective.kind === 'repa' ? 'model.repa.' : 'model.';
    for (const [name, value] of modules.objective.stateDict()) out.set(`${prefix}${name}`, value);
  }
  modules.emas.forEach((ema, i) => {
    for (const [name, value] of ema.stateDict()) out.set(`model_ema${i + 1}.${name}`, value);
  });
  for (const { name, parameter } of modules.parameters) {
    for (const [key, which] of [
      ['exp_avg', 'expAvg'],
      ['exp_avg_sq', 'expAvgSq'],
    ] as const) {
      const moment = adamwMoment(modules.optimizer, which, name);
      out.set(`optimizer.${key}.${name}`, parameter.layout.toTorch(moment));
      moment.dispose();
    }
  }
  return out;
}

/** Writes `dir/checkpoint-<step>.safetensors` atomically (temporary file, fsync, rename). */
export async function saveCheckpoint(dir: string, modules: TrainingModules, info: Omit<CheckpointInfo, 'format' | 'version'>): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const tensors = collectTensors(modules);
  const raw = await rawStateDict(tensors);
  tf.dispose([...tensors.values()]);
  const optimizerStep = String(modules.optimizer.step);
  const bytes = writeSafetensors(raw, { pixelrepa: JSON.stringify({ format: FORMAT, version: 1, ...info }), optimizer_step: optimizerStep });
  const path = join(dir, `checkpoint-${info.step}.safetensors`);
  writeFileAtomic(path, bytes);
  return path;
}

/** Checkpoint files in `dir`, newest (highest step) first. */
export function listCheckpoints(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, step: Number(FILE.exec(name)?.[1] ?? NaN) }))
    .filter((entry) => Number.isFinite(entry.step))
    .sort((a, b) => b.step - a.step)
    .map((entry) => join(dir, entry.name));
}

/** Keeps the newest `keep` checkpoints. */
export function pruneCheckpoints(dir: string, keep: number): void {
  for (const path of listCheckpoints(dir).slice(keep)) rmSync(path, { force: true });
}

/**
 * The checkpoint to resume from: a file, or the newest one in a folder (a run folder or its
 * `checkpoints/`). A missing target is an error — never a silent fresh start.
 */
export function resolveResumePath(target: string): string {
  const path = resolve(target);
  if (!existsSync(path)) throw new Error(`cannot resume: ${path} does not exist`);
  if (statSync(path).isFile()) return path;
  const found = [...listCheckpoints(path), ...listCheckpoints(join(path, 'checkpoints'))];
  if (found.length === 0) throw new Error(`cannot resume: no checkpoint-<step>.safetensors in ${path} or ${join(path, 'checkpoints')}`);
  return found.sort((a, b) => stepOf(b) - stepOf(a))[0];
}

function stepOf(path: string): number {
  return Number(FILE.exec(path.split(/[\\/]/).pop()!)?.[1] ?? -1);
}

/** Reads a checkpoint's info and tensors. */
export function readCheckpoint(path: string): { info: CheckpointInfo; tensors: Map<string, RawTensor>; optimizerStep: number } {
  const file = readSafetensorsFile(path);
  const info = checkpointInfoOf(path, file.metadata);
  if (!info)
    throw new Error(
      `${path} is not a PixelREPA.ts training checkpoint (no "pixelrepa" metadata); to start from official weights use the convert or load commands`,
    );
  return { info, tensors: file.tensors, optimizerStep: Number(file.metadata.optimizer_step ?? info.step) };
}

/**
 * A checkpoint's info (step, config, …) from its header alone, or undefined when the file is a
 * safetensors file but not one of our training checkpoints. The one place that tells them apart.
 */
export function readCheckpointInfo(path: string): CheckpointInfo | undefined {
  return checkpointInfoOf(path, readSafetensorsMetadataFile(path));
}

/** A checkpoint's info from its safetensors metadata (undefined: not one of ours). */
export function checkpointInfoOf(path: string, metadata: Record<string, string>): CheckpointInfo | undefined {
  if (!metadata.pixelrepa) return undefined;
  let info: CheckpointInfo;
  try {
    info = JSON.parse(metadata.pixelrepa) as CheckpointInfo;
  } catch (error) {
    throw new Error(`${path}: its "pixelrepa" metadata is not JSON (${(error as Error).message})`);
  }
  if (info.format !== FORMAT || info.version !== 1) throw new Error(`${path}: unsupported checkpoint format ${info.format} v${info.version}`);
  return info;
}

/** Restores weights, EMAs and optimiser moments from a checkpoint's tensors (strict). */
export function restoreModules(modules: TrainingModules, tensors: Map<string, RawTensor>, optimizerStep: number): void {
  const pick = (prefix: string) => new Map([...tensors].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  const load = (prefix: string, apply: (state: Map<string, Tensor>) => void) => {
    const state = tensorStateDict(pick(prefix));
    try {
      apply(state);
    } finally {
      tf.dispose([...state.values()]);
    }
  };
  load('model.net.', (state) => modules.jit.loadStateDict(state, { context: 'the checkpoint was saved from another model config' }));
  if (modules.objective) {
    const prefix = modules.objective.kind === 'repa' ? 'model.repa.' : 'model.';
    const state = new Map([...pick(prefix)].filter(([k]) => !k.startsWith('net.')));
    const tensorsOfObjective = tensorStateDict(state);
    try {
      modules.objective.loadStateDict(tensorsOfObjective);
    } finally {
      tf.dispose([...tensorsOfObjective.values()]);
    }
  }
  modules.emas.forEach((ema, i) => load(`model_ema${i + 1}.`, (state) => ema.loadStateDict(state)));
  load('optimizer.', (state) => {
    for (const [key, which] of [
      ['exp_avg', 'expAvg'],
      ['exp_avg_sq', 'expAvgSq'],
    ] as const) {
      const values = new Map(
        modules.parameters.map(({ name, parameter }) => {
          const value = state.get(`${key}.${name}`);
          if (!value) throw new Error(`checkpoint has no optimizer.${key}.${name}`);
          return [name, parameter.layout.fromTorch(value)];
        }),
      );
      try {
        setAdamwMoments(modules.optimizer, which, values);
      } finally {
        tf.dispose([...values.values()]);
      }
    }
  });
  modules.optimizer.step = optimizerStep;
}

/**
 * Fails early when `dir` cannot hold checkpoints: not writable, or less free space than two
 * checkpoints of `bytes` need.
 */
export function checkWritable(dir: string, bytes: number): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, 'ok');
    unlinkSync(probe);
  } catch (error) {
    throw new Error(`output folder ${dir} is not writable: ${(error as Error).message}`);
  }
  const stats = statfsSync(dir);
  const free = Number(stats.bavail) * Number(stats.bsize);
  if (free < 2 * bytes) {
    throw new Error(`not enough free space in ${dir}: ${(free / 1e6).toFixed(1)} MB free, checkpoints need about ${((2 * bytes) / 1e6).toFixed(1)} MB`);
  }
}
