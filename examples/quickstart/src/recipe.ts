// The quickstart's run, from @pixelrepa/train's recipe table (the same entry as
// `pixelrepa train --recipe quickstart`): its config with the command line's changes, and its asset paths.
import { fileURLToPath } from 'node:url';
import { trainRecipes, type TrainConfig, type TrainRecipe } from '@pixelrepa/train';

export type QuickstartData = 'fashion-mnist' | 'procedural';
export const quickstartDataNames: readonly QuickstartData[] = ['fashion-mnist', 'procedural'];

/** The recipe each `--data` trains. */
export const quickstartRecipes: Record<QuickstartData, TrainRecipe> = {
  'fashion-mnist': trainRecipes.quickstart,
  procedural: trainRecipes['quickstart-procedural'],
};

/** A recipe's repository-relative asset path, absolute (this file is examples/quickstart/src/). */
export const repositoryPath = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** The quickstart's JiT fields (32 px, 8×8 patches, width 128, 6 blocks, 10 classes). */
export const quickstartModelOverrides = trainRecipes.quickstart.config.modelOverrides;

export interface QuickstartRunOptions {
  data: QuickstartData;
  /** The command line's `--steps`, `--batch`, `--seed` (default: the recipe's). */
  steps?: number;
  batchSize?: number;
  seed?: number;
}

/** The trainer config `npm start` runs: the recipe's, with only steps, batch and seed open to change. */
export function quickstartTrainConfig({
  data,
  steps,
  batchSize,
  seed,
}: QuickstartRunOptions): Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'steps' | 'batchSize' | 'seed'> {
  const { config } = quickstartRecipes[data];
  return { ...config, steps: steps ?? config.steps, batchSize: batchSize ?? config.batchSize, seed: seed ?? config.seed };
}
