// Named training runs that more than one program makes (the quickstart's `npm start` and
// `pixelrepa train --recipe <name>`): one table, plain data, so both train exactly the same run.
// Asset paths are relative to the repository root; each consumer resolves them where it runs.
import type { TrainConfig } from './config.js';

/** Where a recipe's images come from. */
export type RecipeData =
  | { dataset: 'fashion-mnist'; split: 'train' | 'test'; /** folder of the official IDX files, relative to the repository root */ folder: string }
  | { dataset: 'procedural'; length: number; seed: number };

export interface TrainRecipe {
  /** One line, for `--help` and the logs. */
  description: string;
  /** The trainer's config (model, objective, schedule, EMAs, steps, batch, checkpoints). */
  config: Pick<
    TrainConfig,
    | 'model'
    | 'objective'
    | 'adapter'
    | 'maskRatio'
    | 'steps'
    | 'batchSize'
    | 'blr'
    | 'warmup_epochs'
    | 'ema_decay1'
    | 'ema_decay2'
    | 'seed'
    | 'checkpointEvery'
    | 'keepLast'
  > & {
    modelOverrides: NonNullable<TrainConfig['modelOverrides']> & { inputSize: number; patchSize: number; numClasses: number };
  };
  data: RecipeData;
  /** The frozen SmallViT the run aligns to, relative to the repository root. */
  encoder: string;
}

const quickstartAssets = 'examples/quickstart/assets';

/**
 * The quickstart's JiT and schedule: 32 px images in 8×8 patches (a 4×4 token grid, the small
 * encoder's, so the alignment needs no resampling), width 128, 6 blocks; 600 steps of 32 images.
 * EMA decays 0.99 / 0.999 so that a run this short samples with trained weights (the reference's
 * 0.9999 would still be ~94 % the initial weights after 600 updates).
 */
const quickstartConfig: TrainRecipe['config'] = {
  model: 'JiT-Tiny/4',
  modelOverrides: {
    inputSize: 32,
    patchSize: 8,
    numClasses: 10,
    hiddenSize: 128,
    numHeads: 4,
    depth: 6,
    bottleneckDim: 32,
    inContextLen: 4,
    inContextStart: 2,
  },
  objective: 'pixelrepa',
  adapter: 'MTA-B/16',
  maskRatio: 0.2,
  steps: 600,
  batchSize: 32,
  blr: 8e-3,
  warmup_epochs: 0.05,
  ema_decay1: 0.99,
  ema_decay2: 0.999,
  seed: 0,
  checkpointEvery: 150,
  keepLast: 1,
};

export const trainRecipes = {
  /** `npm start`: Fashion-MNIST's official test split (committed), aligned to a SmallViT trained on the train split. */
  quickstart: {
    description:
      "the quickstart (npm start): JiT 32 px, 8×8 patches, width 128, 6 blocks, PixelREPA on Fashion-MNIST's test split (committed in examples/quickstart/assets), 600 steps × 32 images",
    config: quickstartConfig,
    data: { dataset: 'fashion-mnist', split: 'test', folder: `${quickstartAssets}/fashion-mnist` },
    encoder: `${quickstartAssets}/fashion-mnist-encoder.safetensors`,
  },
  /** `npm start -- --data procedural`: the same run on generated shapes, aligned to a SmallViT trained on them. */
  'quickstart-procedural': {
    description:
      'the quickstart on procedural shapes (npm start -- --data procedural): the same model and schedule, 20 000 generated images, the procedural encoder',
    config: quickstartConfig,
    data: { dataset: 'procedural', length: 20_000, seed: 0 },
    encoder: `${quickstartAssets}/procedural-encoder.safetensors`,
  },
} as const satisfies Record<string, TrainRecipe>;

export type TrainRecipeName = keyof typeof trainRecipes;
