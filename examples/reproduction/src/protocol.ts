// The small-scale reproduction's protocol as data: what every run trains, how it is judged, and
// where the results go. docs/reproduction.md describes it; the report reads it back from here.
import { fileURLToPath } from 'node:url';
import type { SmallViTConfig } from '@pixelrepa/encoders';
import { trainRecipes, type TrainConfig } from '@pixelrepa/train';

export const variants = ['none', 'repa', 'pixelrepa'] as const;
export type Variant = (typeof variants)[number];

/** A repository-relative path, absolute (this file is examples/reproduction/src/). */
export const repositoryPath = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/**
 * The judge: a SmallViT classifier trained on the train split with its own seed, 4×4 patches
 * (64 tokens, not the alignment target's 16) and its own width — independent of the encoder the
 * runs align to. Its mean-pooled tokens give the Fréchet distance, its argmax the accuracy.
 */
export const judgeConfig: SmallViTConfig = { imgSize: 32, patchSize: 4, embedDim: 64, depth: 4, numHeads: 4, mlpRatio: 2, numClasses: 10 };
export const judgeTraining = { steps: 2000, batchSize: 128, seed: 11, lr: 2e-3 };

export interface Protocol {
  /** Written into every result line; the report reads only lines of this id. */
  id: string;
  variants: readonly Variant[];
  seeds: readonly number[];
  steps: number;
  batchSize: number;
  /** Steps at which every run is evaluated (equally spaced; the last is `steps`). */
  evalEvery: number;
  /** Checkpoints between evaluations (a killed run loses at most this many steps). */
  checkpointEvery: number;
  /** The data order: one seed for every run, so runs differ only by objective and seed. */
  dataSeed: number;
  /** Samples per class at each evaluation; the same labels and noise for every run and step. */
  samplesPerClass: number;
  sampleSeed: number;
  sampler: { method: 'euler' | 'heun'; steps: number; cfg: number; interval: [number, number]; noiseScale: number };
  /** Which EMA is sampled (index into the trainer's EMAs: 0 → ema_decay1). */
  ema: 0 | 1;
  /** REPA's projector width (REPA uses 2048 for models 6–9× wider; 4× this model's 128). */
  projectorDim: number;
  /** Test-split images in the reference statistics (all 10 000 in the protocol). */
  referenceImages: number;
  /** Real train-split images whose judge features against the test split give the floor of the distance. */
  floorImages: number;
}

export const protocol: Protocol = {
  id: 'fmnist32-jit1.9M-3000x32-v1',
  variants,
  seeds: [0, 1, 2],
  steps: 3000,
  batchSize: 32,
  evalEvery: 750,
  checkpointEvery: 250,
  dataSeed: 0,
  samplesPerClass: 100,
  sampleSeed: 2026,
  sampler: { method: 'euler', steps: 20, cfg: 2.5, interval: [0.1, 1], noiseScale: 1 },
  ema: 0,
  projectorDim: 512,
  referenceImages: 10_000,
  floorImages: 1000,
};

/** The quickstart's JiT and schedule (1.9 M parameters, 32 px, 8×8 patches), with `variant`'s objective. */
export function runConfig(p: Protocol, variant: Variant, seed: number): Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'steps' | 'batchSize'> {
  const base = trainRecipes.quickstart.config;
  const common = { ...base, steps: p.steps, batchSize: p.batchSize, seed, checkpointEvery: p.checkpointEvery, keepLast: 2 };
  if (variant === 'none') return { ...common, objective: 'none', adapter: undefined, maskRatio: undefined };
  if (variant === 'repa') return { ...common, objective: 'repa', adapter: undefined, maskRatio: undefined, projectorDim: p.projectorDim };
  return { ...common, objective: 'pixelrepa' };
}

export const judgeFile = 'examples/reproduction/assets/judge.safetensors';
export const resultsFile = 'docs/reproduction/results.jsonl';
