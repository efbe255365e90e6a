import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../fashion-mnist/idx.js';
import { fashionMnistFiles } from '../fashion-mnist/fashion-mnist.js';
import { debianFashionMnistRoot, FashionMnistFileError, openFashionMnist } from './fashion-mnist-files.js';

const dir = mkdtempSync(join(tmpdir(), 'fashion-mnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a tiny test split (n images) into a new folder; `edit` may damage it. */
function writeSplit(name: string, n: number, edit?: (files: { images: Uint8Array; labels: Uint8Array }) => void): string {
  const root = join(dir, name);
  const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => i % 256);
  const files = {
    images: gzipSync(encodeIdx([n, 28, 28], pixels)),
    labels: gzipSync(
      encodeIdx(
        [n],
        Uint8Array.from({ length: n }, (_, i) => i % 10),
      ),
    ),
  };
  edit?.(files);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, fashionMnistFiles.test.images), files.images);
  writeFileSync(join(root, fashionMnistFiles.test.labels), files.labels);
  return root;
}

describe('openFashionMnist', () => {
  it('reads a gzip-compressed split from a folder', async () => {
    const root = writeSplit('ok', 12);
    const data = openFashionMnist({ root, split: 'test', officialCounts: false });
    expect(data.length).toBe(12);
    expect((await data.load(11)).label).toBe(1);
    expect(data.describe(3)).toContain('Fashion-MNIST test split');
  });

  it('refuses a split whose count is not the official one unless told', () => {
    const root = writeSplit('small', 12);
    expect(() => openFashionMnist({ root, split: 'test' })).toThrow(
      /holds 12 images but the official test split has 10000: it is not the official file; reinstall Debian's dataset-fashion-mnist/,
    );
  });

  it('names the files expected and the Debian package when a file is missing', () => {
    const root = join(dir, 'empty');
    mkdirSync(root, { recursive: true });
    let message = '';
    try {
      openFashionMnist({ root, split: 'train', hint: 'or pass --data_path <folder>' });
    } catch (error) {
      expect(error).toBeInstanceOf(FashionMnistFileError);
      message = (error as Error).message;
    }
    for (const part of [
      'train-images-idx3-ubyte.gz not found',
      't10k-labels-idx1-ubyte.gz',
      'apt-get install dataset-fashion-mnist',
      debianFashionMnistRoot,
      'or pass --data_path <folder>',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('says a file is damaged when its gzip stream is cut short or its IDX data is', () => {
    const cut = writeSplit('cut-gzip', 12, (files) => {
      files.images = files.images.subarray(0, files.images.length - 20);
    });
    expect(() => openFashionMnist({ root: cut, split: 'test', officialCounts: false })).toThrow(
      /t10k-images-idx3-ubyte\.gz is damaged: it is not a complete gzip file .*reinstall/,
    );
    const short = writeSplit('cut-idx', 12, (files) => {
      files.labels = gzipSync(encodeIdx([12], new Uint8Array(12)).subarray(0, 15));
    });
    expect(() => openFashionMnist({ root: short, split: 'test', officialCounts: false })).toThrow(/t10k-labels-idx1-ubyte\.gz is truncated/);
    const mismatched = writeSplit('mismatch', 12, (files) => {
      files.labels = gzipSync(encodeIdx([11], new Uint8Array(11)));
    });
    expect(() => openFashionMnist({ root: mismatched, split: 'test', officialCounts: false })).toThrow(FashionMnistFileError);
  });
});

const debianPresent = Object.values(fashionMnistFiles).every(
  ({ images, labels }) => existsSync(join(debianFashionMnistRoot, images)) && existsSync(join(debianFashionMnistRoot, labels)),
);

describe('the official files (Debian dataset-fashion-mnist)', () => {
  it('has 60 000 train and 10 000 test images, 10 classes of equal size', async (context) => {
    if (!debianPresent) {
      // CI installs the package (scripts/ci/system-packages.sh): there a missing file is a failure.
      if (process.env.CI) throw new Error(`${debianFashionMnistRoot} is missing files: install dataset-fashion-mnist`);
      context.skip(`Debian's dataset-fashion-mnist is not installed (${debianFashionMnistRoot})`);
    }
    for (const [split, count] of [
      ['train', 60_000],
      ['test', 10_000],
    ] as const) {
      const data = openFashionMnist({ split });
      expect(data.length).toBe(count);
      const perClass = new Array(10).fill(0);
      for (const label of data.labels) perClass[label]++;
      expect(perClass).toEqual(new Array(10).fill(count / 10));
      const { image } = await data.load(0);
      expect([image.width, image.height]).toEqual([32, 32]);
    }
  });
});
