// The quickstart's datasets: Fashion-MNIST (the default; its test split ships in assets/) or the
// procedural shapes. Each names where its images come from, so the output can say it.
import { proceduralDataset, type SampleSource } from '@pixelrepa/data';
import { debianFashionMnistRoot, openFashionMnist } from '@pixelrepa/data/node';
import type { SmallViTConfig } from '@pixelrepa/encoders';

import { trainRecipes } from '@pixelrepa/train';
import { quickstartRecipes, repositoryPath, type QuickstartData } from './recipe.js';

export { quickstartDataNames, type QuickstartData } from './recipe.js';

/** The copy of Fashion-MNIST's official test split committed with this example (MIT, see its LICENSE). */
export const bundledFashionMnist = repositoryPath(trainRecipes.quickstart.data.folder);

/** The encoders the quickstart aligns to (the recipes'): committed weights, each reproducible by `train-encoder`. */
export const encoderFiles: Record<QuickstartData, string> = {
  'fashion-mnist': repositoryPath(quickstartRecipes['fashion-mnist'].encoder),
  procedural: repositoryPath(quickstartRecipes.procedural.encoder),
};

/** The small encoder's shape: 4×4 tokens of 96 channels at 32 px (the JiT's patch grid). */
export const smallEncoderConfig: SmallViTConfig = { imgSize: 32, patchSize: 8, embedDim: 96, depth: 4, numHeads: 4, mlpRatio: 3, numClasses: 10 };

export interface OpenedData {
  source: SampleSource;
  /** What the images are, for the console and metrics.json. */
  description: string;
  /** Fashion-MNIST's split (absent for procedural data). */
  split?: 'train' | 'test';
}

/**
 * Fashion-MNIST: `split` of the official files in `root` (default: the committed test split).
 * Procedural: the recipe's images (or `length` drawn with `seed`).
 */
export function openQuickstartData(data: QuickstartData, options: { split?: 'train' | 'test'; root?: string; seed?: number; length?: number }): OpenedData {
  const recipeData = quickstartRecipes[data].data;
  if (recipeData.dataset === 'procedural') {
    const { inputSize, numClasses } = quickstartRecipes[data].config.modelOverrides;
    const seed = options.seed ?? recipeData.seed;
    const source = proceduralDataset({ imageSize: inputSize, numClasses, seed, length: options.length ?? recipeData.length });
    return { source, description: `the procedural dataset (${source.length} generated images, seed ${seed})` };
  }
  const split = options.split ?? recipeData.split;
  const root = options.root ?? bundledFashionMnist;
  if (split === 'train' && root === bundledFashionMnist) {
    throw new Error(
      `the copy in examples/quickstart/assets holds only the official test split; for the train split pass --data_path ${debianFashionMnistRoot} (apt-get install dataset-fashion-mnist) or another folder with the official files`,
    );
  }
  const hint = 'or pass --data_path <folder with the official files>';
  const source = openFashionMnist({ root, split, hint: root === bundledFashionMnist ? 'or restore examples/quickstart/assets/fashion-mnist from git' : hint });
  const where = root === bundledFashionMnist ? 'the copy in examples/quickstart/assets' : root;
  return { source, split, description: `Fashion-MNIST, official ${split} split (${source.length} images, ${where}), padded 28 → 32 px` };
}
