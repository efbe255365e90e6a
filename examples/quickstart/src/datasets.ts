// The quickstart's datasets: Fashion-MNIST (the default; its test split ships in assets/) or the
// procedural shapes. Each names where its images come from, so the output can say it.
import { fileURLToPath } from 'node:url';
import { proceduralDataset, type SampleSource } from '@pixelrepa/data';
import { debianFashionMnistRoot, openFashionMnist } from '@pixelrepa/data/node';
import type { SmallViTConfig } from '@pixelrepa/encoders';

export type QuickstartData = 'fashion-mnist' | 'procedural';
export const quickstartDataNames: readonly QuickstartData[] = ['fashion-mnist', 'procedural'];

/** The copy of Fashion-MNIST's official test split committed with this example (MIT, see its LICENSE). */
export const bundledFashionMnist = fileURLToPath(new URL('../assets/fashion-mnist', import.meta.url));

/** The encoders the quickstart aligns to: committed weights, each reproducible by `train-encoder`. */
export const encoderFiles: Record<QuickstartData, string> = {
  'fashion-mnist': fileURLToPath(new URL('../assets/fashion-mnist-encoder.safetensors', import.meta.url)),
  procedural: fileURLToPath(new URL('../assets/procedural-encoder.safetensors', import.meta.url)),
};

/** The small encoder's shape: 4×4 tokens of 96 channels at 32 px (the JiT's patch grid). */
export const smallEncoderConfig: SmallViTConfig = { imgSize: 32, patchSize: 8, embedDim: 96, depth: 4, numHeads: 4, mlpRatio: 3, numClasses: 10 };

export interface OpenedData {
  source: SampleSource;
  /** What the images are, for the console and metrics.json. */
  description: string;
}

/**
 * Fashion-MNIST: `split` of the official files in `root` (default: the committed test split).
 * Procedural: `length` images drawn with `seed`.
 */
export function openQuickstartData(data: QuickstartData, options: { split?: 'train' | 'test'; root?: string; seed?: number; length?: number }): OpenedData {
  if (data === 'procedural') {
    const source = proceduralDataset({ imageSize: 32, numClasses: 10, seed: options.seed ?? 0, length: options.length ?? 20_000 });
    return { source, description: `the procedural dataset (${source.length} generated images, seed ${options.seed ?? 0})` };
  }
  const split = options.split ?? 'test';
  const root = options.root ?? bundledFashionMnist;
  if (split === 'train' && root === bundledFashionMnist) {
    throw new Error(`the copy in examples/quickstart/assets holds only the official test split; for the train split pass --data_path ${debianFashionMnistRoot} (apt-get install dataset-fashion-mnist) or another folder with the official files`);
  }
  const hint = 'or pass --data_path <folder with the official files>';
  const source = openFashionMnist({ root, split, hint: root === bundledFashionMnist ? 'or restore examples/quickstart/assets/fashion-mnist from git' : hint });
  const where = root === bundledFashionMnist ? 'the copy in examples/quickstart/assets' : root;
  return { source, description: `Fashion-MNIST, official ${split} split (${source.length} images, ${where}), padded 28 → 32 px` };
}
