import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, fashionMnistFiles, proceduralDataset } from '../index.js';
import { FashionMnistFileError } from './fashion-mnist-files.js';
import { writePng } from './image-files.js';
import { DatasetMismatchError, openDataset } from './open-dataset.js';
import { prepare } from './packed-cache/prepare.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-open-dataset-'));
const folder = join(dir, 'folder');
const cache = join(dir, 'cache');
const quiet = () => {};

beforeAll(async () => {
  // Three classes of two 20 px images each, and a 16 px packed cache of them.
  const images = proceduralDataset({ imageSize: 20, numClasses: 3, length: 6 });
  for (let i = 0; i < images.length; i++) {
    const { image, label } = images.render(i);
    mkdirSync(join(folder, `c${label}`), { recursive: true });
    await writePng(join(folder, `c${label}`, `${i}.png`), image.data, 20, 20);
  }
  await prepare(folder, { size: 16, out: cache, workers: 0, warn: quiet });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function mismatch(promise: Promise<unknown>): Promise<DatasetMismatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetMismatchError);
  return error as DatasetMismatchError;
}

describe('openDataset', () => {
  it('opens the procedural dataset at the model size', async () => {
    const { source, description } = await openDataset({ kind: 'procedural', length: 12 }, { imageSize: 16, numClasses: 4 });
    expect(source.length).toBe(12);
    expect(source.classes).toHaveLength(4);
    expect(description).toBe('the procedural dataset (12 images, 4 classes, 16 px)');
  });

  it('opens an image folder center-cropped to the model size, and refuses one with more classes than the model', async () => {
    const { source, description } = await openDataset({ kind: 'folder', path: folder, workers: 0 }, { imageSize: 16, numClasses: 3, warn: quiet });
    expect(source.length).toBe(6);
    expect(description).toContain('3 classes, center-cropped to 16 px');
    await source.close?.();
    const error = await mismatch(openDataset({ kind: 'folder', path: folder, workers: 0 }, { imageSize: 16, numClasses: 2, warn: quiet }));
    expect([error.what, error.dataset, error.model]).toEqual(['classes', 3, 2]);
    expect(error.message).toBe(`${folder} has 3 classes but the model has 2`);
  });

  it('opens a packed cache of the model size and refuses another size', async () => {
    const opened = await openDataset({ kind: 'folder', path: cache }, { imageSize: 16, numClasses: 3 });
    expect(opened.description).toBe(`packed cache ${cache} (6 images, 3 classes)`);
    await opened.source.close?.();
    const error = await mismatch(openDataset({ kind: 'folder', path: cache }, { imageSize: 32, numClasses: 3 }));
    expect([error.what, error.dataset, error.model]).toEqual(['image-size', 16, 32]);
  });

  it('refuses a path that is not a folder', async () => {
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    for (const path of [file, join(dir, 'missing')])
      expect((await mismatch(openDataset({ kind: 'folder', path }, { imageSize: 16, numClasses: 3 }))).what).toBe('not-a-folder');
  });

  it('opens a Fashion-MNIST folder, says when it is not the official count, and checks size and classes first', async () => {
    const root = join(dir, 'fashion');
    mkdirSync(root);
    const n = 5;
    writeFileSync(join(root, fashionMnistFiles.test.images), gzipSync(encodeIdx([n, 28, 28], new Uint8Array(n * 784).fill(7))));
    writeFileSync(join(root, fashionMnistFiles.test.labels), gzipSync(encodeIdx([n], Uint8Array.from([0, 1, 2, 3, 9]))));
    const { source, description } = await openDataset({ kind: 'fashion-mnist', root, split: 'test' }, { imageSize: 32, numClasses: 10 });
    expect(source.length).toBe(5);
    expect(description).toBe(`Fashion-MNIST, test split (5 images, not the official 10000 from ${root}, padded 28 → 32 px)`);
    expect((await mismatch(openDataset({ kind: 'fashion-mnist', root, split: 'test' }, { imageSize: 16, numClasses: 10 }))).what).toBe('image-size');
    expect((await mismatch(openDataset({ kind: 'fashion-mnist', root, split: 'test' }, { imageSize: 32, numClasses: 5 }))).what).toBe('classes');
    await expect(openDataset({ kind: 'fashion-mnist', root, split: 'train', hint: 'or see HINT' }, { imageSize: 32, numClasses: 10 })).rejects.toThrow(
      FashionMnistFileError,
    );
    await expect(openDataset({ kind: 'fashion-mnist', root, split: 'train', hint: 'or see HINT' }, { imageSize: 32, numClasses: 10 })).rejects.toThrow(
      /or see HINT/,
    );
  });
});
