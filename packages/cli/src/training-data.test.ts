import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fashionMnistFiles } from '@pixelrepa/data';
import { debianFashionMnistRoot } from '@pixelrepa/data/node';
import { runCli } from './cli.js';
import { UsageError } from './errors.js';
import { bufferContext, tinyModelFlags } from './test-support/harness.js';
import { openTrainingData } from './training-data.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-fashion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const warn = () => {};
const debianPresent = Object.values(fashionMnistFiles).every(({ images, labels }) => existsSync(join(debianFashionMnistRoot, images)) && existsSync(join(debianFashionMnistRoot, labels)));
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
    for (const part of [join(dir, 'train-images-idx3-ubyte.gz'), 'dataset-fashion-mnist', 't10k-images-idx3-ubyte.gz', '--data_path']) expect((error as Error).message).toContain(part);
  });

  it('refuses models smaller than 28 px or with fewer than 10 classes', async () => {
    await expect(openTrainingData({ data: 'fashion-mnist', imageSize: 16, numClasses: 10, warn })).rejects.toThrow(/28 px \(padded, never cropped\) but the model takes 16 px: use --img_size 32/);
    await expect(openTrainingData({ data: 'fashion-mnist', imageSize: 32, numClasses: 5, warn })).rejects.toThrow(/pass --class_num 10/);
  });

  it('reads the official train split from Debian\'s location by default', async (context) => {
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
    const code = await runCli(['train', '--backend', 'cpu', ...tinyModelFlags, '--img_size', '32', '--objective', 'none', '--data', 'fashion-mnist',
      '--batch_size', '2', '--steps', '1', '--output_dir', out], cli);
    expect(code, stderr()).toBe(0);
    expect(stderr()).toContain('data: Fashion-MNIST, official train split (60000 images');
    expect(readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
