// One call that opens any dataset (procedural, Fashion-MNIST, an image folder or a packed cache) and checks it
// against the model (image size, classes).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fashionMnistClasses, fashionMnistFiles, fashionMnistSize, type FashionMnistSplit } from '../fashion-mnist/fashion-mnist.js';
import { proceduralDataset } from '../procedural/procedural-dataset.js';
import type { SampleSource } from '../loader/sample-source.js';
import { debianFashionMnistRoot, openFashionMnist } from './fashion-mnist-files.js';
import { imageFolder } from './image-folder.js';
import { openPackedCache } from './packed-cache/packed-cache.js';

/** Which data: the procedural shapes, Fashion-MNIST's official files, or a folder on disk. */
export type DatasetSpec =
  | { kind: 'procedural'; /** Number of images (default 1000 per class). */ length?: number; seed?: number }
  | {
      kind: 'fashion-mnist';
      /** The folder with the official IDX files. Default: Debian's `dataset-fashion-mnist` location, where the official counts are required. */
      root?: string;
      /** Default 'train'. */
      split?: FashionMnistSplit;
      /** Appended to "file not found" errors (e.g. the flag that names another folder). */
      hint?: string;
    }
  | {
      kind: 'folder';
      /** An image folder (`root/<class>/<image>`) or a packed cache folder (holding `index.json`). */ path: string;
      /** Decoding threads. */ workers?: number;
    };

export interface OpenDatasetOptions {
  /** The model's input size in pixels. */
  imageSize: number;
  /** The model's number of classes. */
  numClasses: number;
  /** Lines about skipped files. */
  warn?: (line: string) => void;
}

/**
 * The data cannot feed this model: `what` says which property differs, with the data's and the
 * model's values, so a caller can advise (e.g. name the flag that changes it).
 */
export class DatasetMismatchError extends Error {
  override readonly name = 'DatasetMismatchError';
  constructor(
    message: string,
    readonly what: 'not-a-folder' | 'image-size' | 'classes',
    readonly dataset: number | undefined,
    readonly model: number | undefined,
  ) {
    super(message);
  }
}

export interface OpenedDataset {
  source: SampleSource & { close?(): Promise<void> };
  /** One line for a log: what was opened, how many images and classes, at which size. */
  description: string;
}

/**
 * Opens the data `spec` names and checks that its images and classes fit the model: packed caches
 * must hold `imageSize` images, Fashion-MNIST is padded to `imageSize` (never cropped), image folders
 * are center-cropped to it; no dataset may have more classes than the model.
 *
 * ```ts
 * const { source, description } = await openDataset({ kind: 'fashion-mnist' }, { imageSize: 32, numClasses: 10 });
 * ```
 */
export async function openDataset(spec: DatasetSpec, options: OpenDatasetOptions): Promise<OpenedDataset> {
  const { imageSize, numClasses } = options;
  if (spec.kind === 'procedural') {
    const source = proceduralDataset({ imageSize, numClasses, length: spec.length, seed: spec.seed ?? 0 });
    return { source, description: `the procedural dataset (${source.length} images, ${numClasses} classes, ${imageSize} px)` };
  }
  if (spec.kind === 'fashion-mnist') return openFashionMnistDataset(spec, options);
  const { path } = spec;
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new DatasetMismatchError(
      `${path} is not a folder; expected an image folder (root/<class>/<image>) or a packed cache made by prepare`,
      'not-a-folder',
      undefined,
      undefined,
    );
  let opened: OpenedDataset;
  if (existsSync(join(path, 'index.json'))) {
    const cache = await openPackedCache(path);
    if (cache.imageSize !== imageSize) {
      await cache.close();
      throw new DatasetMismatchError(
        `the packed cache ${path} holds ${cache.imageSize} px images but the model takes ${imageSize} px`,
        'image-size',
        cache.imageSize,
        imageSize,
      );
    }
    opened = { source: cache, description: `packed cache ${path} (${cache.length} images, ${cache.classes.length} classes)` };
  } else {
    const source = await imageFolder(path, { size: imageSize, workers: spec.workers, warn: options.warn });
    opened = { source, description: `image folder ${path} (${source.length} images, ${source.classes.length} classes, center-cropped to ${imageSize} px)` };
  }
  const classes = opened.source.classes.length;
  if (classes > numClasses) {
    await opened.source.close?.();
    throw new DatasetMismatchError(`${path} has ${classes} classes but the model has ${numClasses}`, 'classes', classes, numClasses);
  }
  return opened;
}

function openFashionMnistDataset(spec: Extract<DatasetSpec, { kind: 'fashion-mnist' }>, { imageSize, numClasses }: OpenDatasetOptions): OpenedDataset {
  if (imageSize < fashionMnistSize)
    throw new DatasetMismatchError(
      `Fashion-MNIST images are ${fashionMnistSize} px (padded, never cropped) but the model takes ${imageSize} px`,
      'image-size',
      fashionMnistSize,
      imageSize,
    );
  if (numClasses < fashionMnistClasses.length)
    throw new DatasetMismatchError(
      `Fashion-MNIST has ${fashionMnistClasses.length} classes but the model has ${numClasses}`,
      'classes',
      fashionMnistClasses.length,
      numClasses,
    );
  const { split = 'train' } = spec;
  const root = spec.root ?? debianFashionMnistRoot;
  // Debian's files must be the official splits; a folder the user names may hold a subset in the same format.
  const official = fashionMnistFiles[split].count;
  const source = openFashionMnist({ root, split, imageSize, officialCounts: spec.root === undefined, hint: spec.hint });
  const isOfficial = source.length === official;
  const count = isOfficial ? `${source.length} images` : `${source.length} images, not the official ${official}`;
  return { source, description: `Fashion-MNIST, ${isOfficial ? 'official ' : ''}${split} split (${count} from ${root}, padded 28 → ${imageSize} px)` };
}
