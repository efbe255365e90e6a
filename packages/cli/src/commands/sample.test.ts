import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSafetensorsFile, readSafetensorsFile } from '@pixelrepa/io/node';
import { initBackend, tf } from '@pixelrepa/tensor';
import { fixturePath, itWithFixtures } from '@pixelrepa/tensor/testing';
import { runCli } from '../cli.js';
import { bufferContext, tinyModelFlags } from '../test-support/harness.js';

/** The shapes of the torch-checkpoint fixture (its args say JiT-B/16, but its weights are a small JiT). */
const fixtureModel = [
  '--model', 'JiT-Tiny/4', '--img_size', '32', '--class_num', '10',
  '--model_overrides', JSON.stringify({ depth: 4, hiddenSize: 64, numHeads: 4, bottleneckDim: 16, inContextLen: 4, inContextStart: 2 }),
];
const pth = fixturePath('torch-checkpoint', 'checkpoint-last.pth');

describe('pixelrepa sample', () => {
  let dir: string;
  let run: string;

  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-sample-'));
    run = join(dir, 'run');
    const { context, stderr } = bufferContext(dir);
    const code = await runCli(['train', '--backend', 'cpu', ...tinyModelFlags, '--objective', 'none', '--data', 'procedural', '--data_length', '20', '--batch_size', '4', '--steps', '2', '--output_dir', run], context);
    if (code !== 0) throw new Error(stderr());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help shows the sampler flags', async () => {
    const { context, stdout } = bufferContext(dir);
    expect(await runCli(['sample', '--help'], context)).toBe(0);
    for (const flag of ['--checkpoint', '--weights', '--cfg', '--interval_min', '--interval_max', '--num_sampling_steps', '--sampling_method', '--classes', '--num_per_class']) expect(stdout()).toContain(flag);
  });

  it('writes one PNG per image and a grid with one row per class, from a run folder, without leaking tensors', async () => {
    const out = join(dir, 'samples');
    const { context, stderr } = bufferContext(dir);
    const before = tf.memory().numTensors;
    const code = await runCli(['sample', '--backend', 'cpu', '--checkpoint', run, '--classes', '1,2,3', '--num_per_class', '2', '--num_sampling_steps', '3', '--cfg', '2', '--batch_size', '4', '--output_dir', out], context);
    expect(stderr()).toContain('wrote 6 images');
    expect(code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const files = readdirSync(join(out, 'images')).sort();
    expect(files).toEqual(['class0001-000.png', 'class0001-001.png', 'class0002-000.png', 'class0002-001.png', 'class0003-000.png', 'class0003-001.png']);
    expect(await sharp(join(out, 'images', files[0])).metadata()).toMatchObject({ width: 16, height: 16, channels: 3 });
    // 16 px images enlarged 8× into 2 columns × 3 rows with 2 px gaps.
    expect(await sharp(join(out, 'grid.png')).metadata()).toMatchObject({ width: 2 * (128 + 2) + 2, height: 3 * (128 + 2) + 2 });
  });

  itWithFixtures('samples the same images from an official .pth and from its converted safetensors', ['torch-checkpoint'], async () => {
    const converted = join(dir, 'ema1.safetensors');
    expect(await runCli(['convert', pth, converted], bufferContext(dir).context)).toBe(0);
    const pixels: Buffer[] = [];
    for (const checkpoint of [pth, converted]) {
      const out = join(dir, `from-${checkpoint === pth ? 'pth' : 'safetensors'}`);
      const { context, stderr } = bufferContext(dir);
      const code = await runCli(['sample', '--backend', 'cpu', '--checkpoint', checkpoint, ...fixtureModel, '--classes', '4', '--num_per_class', '1', '--num_sampling_steps', '2', '--output_dir', out], context);
      expect(code, stderr()).toBe(0);
      pixels.push(readFileSync(join(out, 'images', 'class0004-000.png')));
    }
    expect(pixels[0].equals(pixels[1])).toBe(true);
  });

  it('asks for --model when exported weights do not say which model they are', async () => {
    const bare = join(dir, 'bare.safetensors');
    const ema = new Map([...readSafetensorsFile(join(run, 'checkpoints', 'checkpoint-2.safetensors')).tensors]
      .filter(([key]) => key.startsWith('model_ema1.')).map(([key, value]) => [key.slice('model_ema1.'.length), value]));
    writeSafetensorsFile(bare, ema);
    const missing = bufferContext(dir);
    expect(await runCli(['sample', '--backend', 'cpu', '--checkpoint', bare, '--output_dir', join(dir, 'bare')], missing.context)).toBe(2);
    expect(missing.stderr()).toContain('does not say which model they belong to');
    const given = bufferContext(dir);
    expect(await runCli(['sample', '--backend', 'cpu', '--checkpoint', bare, ...tinyModelFlags, '--classes', '0', '--num_per_class', '1', '--num_sampling_steps', '1', '--output_dir', join(dir, 'bare')], given.context), given.stderr()).toBe(0);
  });

  itWithFixtures('explains a checkpoint that does not fit the model', ['torch-checkpoint'], async () => {
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['sample', '--backend', 'cpu', '--checkpoint', pth, '--num_sampling_steps', '1', '--output_dir', join(dir, 'wrong')], context)).toBe(1);
    expect(stderr()).toContain('but this model is JiT-B/16 (depth 12, width 768, patch 16)');
  });
});
