import { createRgbImage, type RgbImage } from '../image.js';
import type { Sample, SampleSource } from '../loader/sample-source.js';
import { IdxFormatError, parseIdx, type IdxArray } from './idx.js';

/** The official class names, indexed by label (Zalando's fashion-mnist README). */
export const fashionMnistClasses: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

export type FashionMnistSplit = 'train' | 'test';

/** The official file names of each split (gzip-compressed IDX). */
export const fashionMnistFiles: Readonly<Record<FashionMnistSplit, { images: string; labels: string; count: number }>> = Object.freeze({
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz', count: 60_000 },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz', count: 10_000 },
});

/** Side of the original images. */
export const fashionMnistSize = 28;

export interface FashionMnistOptions {
  /** Side of the square output images, ≥ 28: the 28 × 28 images are padded with black. Default 32. */
  imageSize?: number;
  /** Which split the arrays are (for messages). */
  split?: FashionMnistSplit;
  /** Where the arrays came from (for messages). Default "Fashion-MNIST". */
  source?: string;
}

/**
 * Fashion-MNIST as a `SampleSource`: 28 × 28 grey images padded to `imageSize` (2 px of black on
 * each side for 32) and repeated over 3 channels, labels the official class ids
 * (`fashionMnistClasses`). The decoded split stays in memory (47 MB for train), so every epoch
 * reads bytes and the `DataLoader`'s shuffling, sharding and prefetching apply as for any source.
 *
 * ```ts
 * const test = fashionMnistFromIdx(imagesIdxBytes, labelsIdxBytes, { split: 'test' }); // 10 000 samples
 * const { image, label } = await test.load(0); // image: [32, 32, 3] uint8; test.classes[label] = 'Ankle boot'
 * ```
 */
export class FashionMnist implements SampleSource {
  readonly length: number;
  readonly classes = fashionMnistClasses;
  readonly imageSize: number;
  readonly split?: FashionMnistSplit;
  readonly source: string;
  /** [N, 28, 28] uint8 */
  readonly pixels: Uint8Array;
  /** [N] uint8, each < 10 */
  readonly labels: Uint8Array;

  constructor(images: IdxArray, labels: IdxArray, options: FashionMnistOptions = {}) {
    const { imageSize = 32, split, source = 'Fashion-MNIST' } = options;
    if (!(Number.isInteger(imageSize) && imageSize >= fashionMnistSize)) {
      throw new Error(`fashionMnist: imageSize must be an integer ≥ ${fashionMnistSize} (the images are padded, never cropped), found ${imageSize}`);
    }
    const [count, height, width] = images.shape;
    if (images.shape.length !== 3 || height !== fashionMnistSize || width !== fashionMnistSize) {
      throw new IdxFormatError(`${source}: expected images of shape [N, 28, 28], found [${images.shape.join(', ')}]`);
    }
    if (labels.shape.length !== 1 || labels.shape[0] !== count) {
      throw new IdxFormatError(`${source}: expected ${count} labels (one per image), found labels of shape [${labels.shape.join(', ')}]`);
    }
    const bad = labels.data.findIndex((label) => label >= fashionMnistClasses.length);
    if (bad >= 0) throw new IdxFormatError(`${source}: label ${bad} is ${labels.data[bad]}, outside the 10 classes 0…9`);
    this.length = count;
    this.imageSize = imageSize;
    this.split = split;
    this.source = source;
    this.pixels = images.data;
    this.labels = labels.data;
  }

  labelOf(index: number): number {
    return this.labels[index];
  }

  /** Sample `index`: the padded RGB image and its label. */
  image(index: number): RgbImage {
    const size = this.imageSize;
    const pad = Math.floor((size - fashionMnistSize) / 2);
    const out = createRgbImage(size, size);
    const from = index * fashionMnistSize * fashionMnistSize;
    for (let y = 0; y < fashionMnistSize; y++) {
      let o = ((y + pad) * size + pad) * 3;
      for (let x = 0, i = from + y * fashionMnistSize; x < fashionMnistSize; x++, i++, o += 3) {
        const v = this.pixels[i];
        out.data[o] = v;
        out.data[o + 1] = v;
        out.data[o + 2] = v;
      }
    }
    return out;
  }

  load(index: number): Promise<Sample> {
    if (!(Number.isInteger(index) && index >= 0 && index < this.length)) {
      return Promise.reject(new Error(`${this.source}: index ${index} is outside [0, ${this.length})`));
    }
    return Promise.resolve({ image: this.image(index), label: this.labels[index] });
  }

  describe(index: number): string {
    return `${this.source} image ${index}`;
  }
}

/** Fashion-MNIST from the two uncompressed IDX files of one split. */
export function fashionMnistFromIdx(imageBytes: Uint8Array, labelBytes: Uint8Array, options: FashionMnistOptions = {}): FashionMnist {
  const name = options.source ?? 'Fashion-MNIST';
  return new FashionMnist(parseIdx(imageBytes, `${name} images`), parseIdx(labelBytes, `${name} labels`), options);
}
