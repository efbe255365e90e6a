// PNG files in and out: sampled images, a grid of them, and folders of images to evaluate.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { admCenterCrop } from '../center-crop.js';
import type { RgbImage } from '../image.js';
import { decodeImageFile } from './decode-image.js';
import { loadSharp } from './load-sharp.js';
import { imageExtensions } from './scan-image-folder.js';

/**
 * Images the caller pointed at cannot be used as asked: a folder that is not there or holds no
 * images, images of different sizes in one set. An app reports it as the user's mistake.
 */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
}

/** Writes one RGB image. pixels: [H, W, 3] values 0…255 */
export async function writePng(path: string, pixels: Uint8Array, width: number, height: number): Promise<void> {
  await loadSharp()(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
}

export interface GridOptions {
  rows: number;
  columns: number;
  /** Each image is enlarged this many times (nearest neighbour), so small samples stay visible. */
  scale?: number;
  /** White pixels between cells. */
  gap?: number;
}

/**
 * Lays images out row by row (image i at row ⌊i / columns⌋) on a white canvas and writes a PNG.
 * images: [B, H, W, 3] values 0…255, B ≤ rows · columns
 */
export async function writeGrid(
  path: string,
  images: Uint8Array,
  [count, height, width]: readonly number[],
  { rows, columns, scale = 1, gap = 2 }: GridOptions,
): Promise<void> {
  const cellWidth = width * scale + gap;
  const cellHeight = height * scale + gap;
  const W = columns * cellWidth + gap;
  const H = rows * cellHeight + gap;
  const canvas = new Uint8Array(W * H * 3).fill(255);
  for (let n = 0; n < count; n++) {
    const left = gap + (n % columns) * cellWidth;
    const top = gap + Math.floor(n / columns) * cellHeight;
    for (let y = 0; y < height * scale; y++) {
      for (let x = 0; x < width * scale; x++) {
        const from = ((n * height + Math.floor(y / scale)) * width + Math.floor(x / scale)) * 3;
        const to = ((top + y) * W + left + x) * 3;
        canvas[to] = images[from];
        canvas[to + 1] = images[from + 1];
        canvas[to + 2] = images[from + 2];
      }
    }
  }
  await writePng(path, canvas, W, H);
}

/** The enlargement that makes a side of `size` pixels at least 128 on screen. */
export function gridScale(size: number): number {
  return Math.max(1, Math.ceil(128 / size));
}

/** Every image file under `folder` (recursively), sorted by path. */
export function listImageFiles(folder: string): string[] {
  let entries;
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  } catch (error) {
    throw new ImageInputError(`cannot read the image folder ${folder}: ${(error as Error).message}`);
  }
  const files = entries
    .filter((entry) => entry.isFile() && imageExtensions.some((extension) => entry.name.toLowerCase().endsWith(extension)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) throw new ImageInputError(`${folder} holds no images (${imageExtensions.join(' ')})`);
  return files;
}

/**
 * The files as uint8 batches [B, H, W, 3] for the metrics. With `size`, each image is ADM
 * center-cropped to size × size (as reference sets are prepared); without, all must share one size.
 */
export async function* imageFileBatches(
  files: readonly string[],
  { batchSize, size }: { batchSize: number; size?: number },
): AsyncGenerator<{ images: Uint8Array; shape: number[] }> {
  let first: RgbImage | undefined;
  for (let start = 0; start < files.length; start += batchSize) {
    const decoded = await Promise.all(
      files.slice(start, start + batchSize).map(async (file) => {
        const image = await decodeImageFile(file);
        return size ? admCenterCrop(image, size) : image;
      }),
    );
    first ??= decoded[0];
    const { width, height } = first;
    const batch = new Uint8Array(decoded.length * width * height * 3);
    decoded.forEach((image, i) => {
      if (image.width !== width || image.height !== height) {
        throw new ImageInputError(
          `${files[start + i]} is ${image.width}×${image.height} but ${files[0]} is ${width}×${height}: the images of one evaluation must share a size (pass --img_size to center-crop them all)`,
        );
      }
      batch.set(image.data, i * width * height * 3);
    });
    yield { images: batch, shape: [decoded.length, height, width, 3] };
  }
}
