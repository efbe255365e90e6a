// The training images: an image folder, a packed cache made by `prepare`, Fashion-MNIST or the procedural dataset.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fashionMnistClasses, fashionMnistFiles, fashionMnistSize, proceduralDataset, type SampleSource } from '@pixelrepa/data';
import { FashionMnistFileError, debianFashionMnistRoot, imageFolder, openFashionMnist, openPackedCache } from '@pixelrepa/data/node';
import { UsageError } from './errors.js';

export interface TrainingDataOptions {
  /** An image folder (`root/<class>/<image>`) or a packed cache folder. */
  dataPath?: string;
  /** `procedural`: the built-in class-conditional shapes; `fashion-mnist`: the official files (in `dataPath` or Debian's location). */
  data?: string;
  /** Fashion-MNIST: which official split. Default 'train'. */
  split?: 'train' | 'test';
  imageSize: number;
  numClasses: number;
  /** Procedural: number of images (default 1000 per class). */
  length?: number;
  /** Decoding threads for an image folder. */
  workers?: number;
  warn: (line: string) => void;
}

/** Opens the dataset the flags name and checks that its images and classes fit the model. */
export async function openTrainingData(options: TrainingDataOptions): Promise<{ source: SampleSource; description: string }> {
  const { dataPath, data, imageSize, numClasses } = options;
  if (data === 'fashion-mnist') return openFashionMnistData(options);
  if (data !== undefined && dataPath !== undefined) throw new UsageError('give either --data procedural or --data_path <folder>, not both');
  if (data === 'procedural') {
    const source = proceduralDataset({ imageSize, numClasses, length: options.length, seed: 0 });
    return { source, description: `the procedural dataset (${source.length} images, ${numClasses} classes, ${imageSize} px)` };
  }
  if (data !== undefined)
    throw new UsageError(`--data ${data} is not a built-in dataset; they are "procedural" and "fashion-mnist" (for your images use --data_path <folder>)`);
  if (dataPath === undefined)
    throw new UsageError('no training data: pass --data_path <image folder or packed cache>, --data fashion-mnist or --data procedural');
  if (!existsSync(dataPath) || !statSync(dataPath).isDirectory())
    throw new UsageError(
      `--data_path ${dataPath} is not a folder; expected an image folder (root/<class>/<image>) or a packed cache made by pixelrepa prepare`,
    );
  let source: SampleSource & { close?(): Promise<void> };
  let description: string;
  if (existsSync(join(dataPath, 'index.json'))) {
    const cache = await openPackedCache(dataPath);
    if (cache.imageSize !== imageSize) {
      await cache.close();
      throw new UsageError(
        `the packed cache ${dataPath} holds ${cache.imageSize} px images but the model takes ${imageSize} px: prepare it again with --img_size ${imageSize}, or train at --img_size ${cache.imageSize}`,
      );
    }
    source = cache;
    description = `packed cache ${dataPath} (${cache.length} images, ${cache.classes.length} classes)`;
  } else {
    source = await imageFolder(dataPath, { size: imageSize, workers: options.workers, warn: options.warn });
    description = `image folder ${dataPath} (${source.length} images, ${source.classes.length} classes, center-cropped to ${imageSize} px)`;
  }
  if (source.classes.length > numClasses) {
    await source.close?.();
    throw new UsageError(`${dataPath} has ${source.classes.length} classes but the model has ${numClasses}: pass --class_num ${source.classes.length}`);
  }
  return { source, description };
}

/** `--data fashion-mnist`: the official IDX files in `--data_path` or Debian's dataset-fashion-mnist location. */
function openFashionMnistData({ dataPath, imageSize, numClasses, split = 'train' }: TrainingDataOptions): { source: SampleSource; description: string } {
  if (imageSize < fashionMnistSize)
    throw new UsageError(`Fashion-MNIST images are ${fashionMnistSize} px (padded, never cropped) but the model takes ${imageSize} px: use --img_size 32`);
  if (numClasses < fashionMnistClasses.length)
    throw new UsageError(
      `Fashion-MNIST has ${fashionMnistClasses.length} classes but the model has ${numClasses}: pass --class_num ${fashionMnistClasses.length}`,
    );
  const root = dataPath ?? debianFashionMnistRoot;
  try {
    // Debian's files must be the official splits; a folder the user names may hold a subset in the same format.
    const official = fashionMnistFiles[split].count;
    const source = openFashionMnist({
      root,
      split,
      imageSize,
      officialCounts: dataPath === undefined,
      hint: 'or pass --data_path <folder with the official files>',
    });
    const count = source.length === official ? `${source.length} images` : `${source.length} images, not the official ${official}`;
    return {
      source,
      description: `Fashion-MNIST, ${source.length === official ? 'official ' : ''}${split} split (${count} from ${root}, padded 28 → ${imageSize} px)`,
    };
  } catch (error) {
    if (error instanceof FashionMnistFileError) throw new UsageError(error.message);
    throw error;
  }
}
