import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FashionMnist, fashionMnistFiles, type FashionMnistOptions, type FashionMnistSplit } from '../fashion-mnist/fashion-mnist.js';
import { IdxFormatError, parseIdx, type IdxArray } from '../fashion-mnist/idx.js';

/** Where Debian's `dataset-fashion-mnist` package puts the four official files. */
export const debianFashionMnistRoot = '/usr/share/datasets/fashion-mnist';

export interface OpenFashionMnistOptions extends Pick<FashionMnistOptions, 'imageSize'> {
  /** The folder holding the official `*-idx?-ubyte.gz` files. Default: Debian's location. */
  root?: string;
  /** Default 'train'. */
  split?: FashionMnistSplit;
  /** Refuse files whose image count is not the official split's (60 000 / 10 000). Default true. */
  officialCounts?: boolean;
  /** Appended to "not found" errors (e.g. the flag that names another folder). */
  hint?: string;
}

/** A Fashion-MNIST file that is missing or damaged. */
export class FashionMnistFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FashionMnistFileError';
  }
}

/**
 * Reads one official split of Fashion-MNIST from `root` (gzip-compressed IDX files, or the same
 * names without `.gz`). A missing or damaged file is an error that names the files expected and
 * Debian's `dataset-fashion-mnist` package.
 *
 * ```ts
 * const train = openFashionMnist({ split: 'train' }); // 60 000 images, 3 × 32 × 32
 * const loader = new DataLoader(train, { batchSize: 64, seed: 0, shuffle: true });
 * ```
 */
export function openFashionMnist(options: OpenFashionMnistOptions = {}): FashionMnist {
  const { root = debianFashionMnistRoot, split = 'train', officialCounts = true, imageSize } = options;
  const files = fashionMnistFiles[split];
  const images = readIdx(root, files.images, options.hint);
  const labels = readIdx(root, files.labels, options.hint);
  const source = `Fashion-MNIST ${split} split (${root})`;
  if (officialCounts && images.shape[0] !== files.count) {
    throw new FashionMnistFileError(
      `${join(root, files.images)} holds ${images.shape[0]} images but the official ${split} split has ${files.count}: ` +
        `it is not the official file${reinstall}`,
    );
  }
  try {
    return new FashionMnist(images, labels, { imageSize, split, source });
  } catch (error) {
    if (error instanceof IdxFormatError) throw new FashionMnistFileError(`${error.message}${reinstall}`);
    throw error;
  }
}

const reinstall = "; reinstall Debian's dataset-fashion-mnist package (apt-get install --reinstall dataset-fashion-mnist) or fetch the official files again";

function expectedFiles(root: string): string {
  const names = Object.values(fashionMnistFiles).flatMap(({ images, labels }) => [images, labels]);
  return `${root} should hold the official files ${names.join(', ')}`;
}

function readIdx(root: string, name: string, hint?: string): IdxArray {
  const path = join(root, name);
  const plain = path.replace(/\.gz$/, '');
  const found = existsSync(path) ? path : existsSync(plain) ? plain : undefined;
  if (!found) {
    throw new FashionMnistFileError(
      `Fashion-MNIST: ${path} not found; ${expectedFiles(root)}. ` +
        `Install them with Debian's package (apt-get install dataset-fashion-mnist puts them in ${debianFashionMnistRoot})` +
        `${hint ? `, ${hint}` : ''}`,
    );
  }
  let bytes: Uint8Array = readFileSync(found);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new FashionMnistFileError(`${found} is damaged: it is not a complete gzip file (${(error as Error).message})${reinstall}`);
    }
  }
  try {
    return parseIdx(bytes, found);
  } catch (error) {
    if (error instanceof IdxFormatError) throw new FashionMnistFileError(`${error.message}${reinstall}`);
    throw error;
  }
}
