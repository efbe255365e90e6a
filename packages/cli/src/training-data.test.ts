import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, fashionMnistFiles, proceduralDataset } from '@pixelrepa/data';
import { initBackend } from '@pixelrepa/tensor';
import { debianFashionMnistRoot } from '@pixelrepa/data/node';
import { runCli } from './cli.js';
import { UsageError } from './errors.js';
import { writePng } from '@pixelrepa/data/node';
import { bufferContext, tinyModelFlags } from './test-support/harness.js';
import { standInExtractor } from './test-support/stand-in-extractor.js';
import { openTrainingData } from './training-data.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-fashion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const warn = () => {};
const debianPresent = Object.values(fashionMnistFiles).every(
  ({ images, labels }) => existsSync(join(debianFashionMnistRoot, images)) && existsSync(join(debianFashionMnistRoot, labels)),
);
const needDebian = (context: { skip: (note?: string) => void }) => {
  if (debianPresent) return;
  // CI installs the package (scripts/ci/system-packages.sh): there a missing file is a failure.
  if (process.env.CI) throw new Error(`${debianFashionMnistRoot} is missing files: install dataset-fashion-mnist`);
  context.skip(`Debian's dataset-fashion-mnist is not installed (${debianFashionMnistRoot})`);
};

describe('--data fashion-mnist', () => {
  it('names the Debian package, the files expected and --data_path when the folder lacks them', async () => {
    const error = await openTrainingData({ data: 'fashion-mnist', dataPath: dir, imageSize: 32, numClasses: 10, warn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    for (const part of [join(dir, 'train-images-idx3-ubyte.gz'), 'dataset-fashion-mnist', 't10k-images-idx3-ubyte.gz', '--data_path'])
      expect((error as Error).message).toContain(part);
  });

  it('refuses models smaller than 28 px or with fewer than 10 classes', async () => {
    await expect(openTrainingData({ data: 'fashion-mnist', imageSize: 16, numClasses: 10, warn })).rejects.toThrow(
      /28 px \(padded, never cropped\) but the model takes 16 px: use --img_size 32/,
    );
    await expect(openTrainingData({ data: 'fashion-mnist', imageSize: 32, numClasses: 5, warn })).rejects.toThrow(/pass --class_num 10/);
  });

  it("reads the official train split from Debian's location by default", async (context) => {
    needDebian(context);
    const { source, description } = await openTrainingData({ data: 'fashion-mnist', imageSize: 32, numClasses: 10, warn });
    expect(source.length).toBe(60_000);
    expect(source.classes[9]).toBe('Ankle boot');
    expect(description).toContain(`official train split (60000 images from ${debianFashionMnistRoot}`);
  });

  it('trains a step with pixelrepa train --data fashion-mnist', async (context) => {
    needDebian(context);
    const out = join(dir, 'run');
    const { context: cli, stderr } = bufferContext(dir);
    const code = await runCli(
      [
        'train',
        '--backend',
        'cpu',
        ...tinyModelFlags,
        '--img_size',
        '32',
        '--objective',
        'none',
        '--data',
        'fashion-mnist',
        '--batch_size',
        '2',
        '--steps',
        '1',
        '--output_dir',
        out,
      ],
      cli,
    );
    expect(code, stderr()).toBe(0);
    expect(stderr()).toContain('data: Fashion-MNIST, official train split (60000 images');
    expect(readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('--data_path', () => {
  it('turns a dataset that does not fit the model into advice naming the flag', async () => {
    const folder = join(dir, 'three-classes');
    const data = proceduralDataset({ imageSize: 16, numClasses: 3, length: 3 });
    for (let i = 0; i < data.length; i++) {
      const { image, label } = data.render(i);
      mkdirSync(join(folder, `c${label}`), { recursive: true });
      await writePng(join(folder, `c${label}`, `${i}.png`), image.data, 16, 16);
    }
    await expect(openTrainingData({ dataPath: folder, imageSize: 16, numClasses: 2, workers: 0, warn })).rejects.toThrow(
      `${folder} has 3 classes but the model has 2: pass --class_num 3`,
    );
    const missing = join(dir, 'nowhere');
    const error = await openTrainingData({ dataPath: missing, imageSize: 16, numClasses: 2, warn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `--data_path ${missing} is not a folder; expected an image folder (root/<class>/<image>) or a packed cache made by pixelrepa prepare`,
    );
  });
});

describe('pixelrepa eval --data fashion-mnist', () => {
  it('uses the test split of --data_path as the reference set', async () => {
    await initBackend('cpu');
    // A folder holding a 20-image test split in the official format, and 6 "generated" PNGs.
    const root = join(dir, 'subset');
    mkdirSync(root, { recursive: true });
    const n = 20;
    writeFileSync(
      join(root, fashionMnistFiles.test.images),
      gzipSync(
        encodeIdx(
          [n, 28, 28],
          Uint8Array.from({ length: n * 784 }, (_, i) => (i * 13) % 256),
        ),
      ),
    );
    writeFileSync(
      join(root, fashionMnistFiles.test.labels),
      gzipSync(
        encodeIdx(
          [n],
          Uint8Array.from({ length: n }, (_, i) => i % 10),
        ),
      ),
    );
    const generated = join(dir, 'generated');
    mkdirSync(generated, { recursive: true });
    const data = proceduralDataset({ imageSize: 32, length: 6 });
    for (let i = 0; i < data.length; i++) await writePng(join(generated, `${i}.png`), data.render(i).image.data, 32, 32);
    const extractor = standInExtractor();
    try {
      const { context, stdout, stderr } = bufferContext(dir);
      context.extractor = extractor;
      const code = await runCli(
        [
          'eval',
          '--backend',
          'cpu',
          '--images',
          generated,
          '--data',
          'fashion-mnist',
          '--data_path',
          root,
          '--metrics',
          'fid,kid',
          '--kid_subset_size',
          '5',
          '--kid_subsets',
          '4',
        ],
        context,
      );
      expect(code, stderr()).toBe(0);
      expect(stderr()).toContain(`reference: Fashion-MNIST, test split (20 images, not the official 10000 from ${root}`);
      const result = JSON.parse(stdout()) as { reference: string; fid: number; kid: { mean: number } };
      expect(result.reference).toBe('fashion-mnist test split');
      expect(Number.isFinite(result.fid) && result.fid > 0).toBe(true);
      expect(Number.isFinite(result.kid.mean)).toBe(true);
    } finally {
      extractor.dispose();
    }
  });
});
