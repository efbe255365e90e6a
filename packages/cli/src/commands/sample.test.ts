import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  '--model',
  'JiT-Tiny/4',
  '--img_size',
  '32',
  '--class_num',
  '10',
  '--model_overrides',
  JSON.stringify({ depth: 4, hiddenSize: 64, numHeads: 4, bottleneckDim: 16, inContextLen: 4, inContextStart: 2 }),
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
    const code = await runCli(
      [
        'train',
        '--backend',
        'cpu',
        ...tinyModelFlags,
        '--objective',
        'none',
        '--data',
        'procedural',
        '--data_length',
        '20',
        '--batch_size',
        '4',
        '--steps',
        '2',
        '--output_dir',
        run,
      ],
      context,
    );
    if (code !== 0) throw new Error(stderr());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help shows the sampler flags', async () => {
    const { context, stdout } = bufferContext(dir);
    expect(await runCli(['sample', '--help'], context)).toBe(0);
    for (const flag of [
      '--checkpoint',
      '--weights',
      '--cfg',
      '--interval_min',
      '--interval_max',
      '--num_sampling_steps',
      '--sampling_method',
      '--classes',
      '--num_per_class',
    ])
      expect(stdout()).toContain(flag);
  });

  it('writes one PNG per image and a grid with one row per class, from a run folder, without leaking tensors', async () => {
    const out = join(dir, 'samples');
    const { context, stderr } = bufferContext(dir);
    const before = tf.memory().numTensors;
    const code = await runCli(
      [
        'sample',
        '--backend',
        'cpu',
        '--checkpoint',
        run,
        '--classes',
        '1,2,3',
        '--num_per_class',
        '2',
        '--num_sampling_steps',
        '3',
        '--cfg',
        '2',
        '--batch_size',
        '4',
        '--output_dir',
        out,
      ],
      context,
    );
    expect(stderr()).toContain('wrote 6 images');
    // Off a terminal the last progress line is the finished work: every step, every image.
    expect(stderr()).toMatch(/\nsample 6\/6 \| 6\/6 images\n/);
    expect(stderr()).not.toMatch(/sample 6\/6 \| [0-5]\/6 images/);
    // 2 steps of training with the reference's decay 0.9999: model_ema1 is still the initial weights.
    expect(stderr()).toMatch(/warning: model_ema1 \(decay 0\.9999\) has had 2 updates, so 100 % of it is still the weights the run started from/);
    expect(stderr()).toContain('--weights model');
    expect(code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const files = readdirSync(join(out, 'images')).sort();
    expect(files).toEqual([
      '000000-class0001.png',
      '000001-class0001.png',
      '000002-class0002.png',
      '000003-class0002.png',
      '000004-class0003.png',
      '000005-class0003.png',
    ]);
    expect(await sharp(join(out, 'images', files[0])).metadata()).toMatchObject({ width: 16, height: 16, channels: 3 });
    // 16 px images enlarged 8× into 2 columns × 3 rows with 2 px gaps.
    expect(await sharp(join(out, 'grid.png')).metadata()).toMatchObject({ width: 2 * (128 + 2) + 2, height: 3 * (128 + 2) + 2 });
  });

  it('does not warn about the EMA when sampling the trained weights', async () => {
    const { context, stderr } = bufferContext(dir);
    expect(
      await runCli(
        [
          'sample',
          '--backend',
          'cpu',
          '--checkpoint',
          run,
          '--weights',
          'model',
          '--classes',
          '1',
          '--num_per_class',
          '1',
          '--num_sampling_steps',
          '1',
          '--output_dir',
          join(dir, 'model'),
        ],
        context,
      ),
      stderr(),
    ).toBe(0);
    expect(stderr()).not.toContain('warning');
  });

  itWithFixtures('samples the same images from an official .pth and from its converted safetensors', ['torch-checkpoint'], async () => {
    const converted = join(dir, 'ema1.safetensors');
    expect(await runCli(['convert', pth, converted], bufferContext(dir).context)).toBe(0);
    const pixels: Buffer[] = [];
    for (const checkpoint of [pth, converted]) {
      const out = join(dir, `from-${checkpoint === pth ? 'pth' : 'safetensors'}`);
      const { context, stderr } = bufferContext(dir);
      const code = await runCli(
        [
          'sample',
          '--backend',
          'cpu',
          '--checkpoint',
          checkpoint,
          ...fixtureModel,
          '--classes',
          '4',
          '--num_per_class',
          '1',
          '--num_sampling_steps',
          '2',
          '--output_dir',
          out,
        ],
        context,
      );
      expect(code, stderr()).toBe(0);
      pixels.push(readFileSync(join(out, 'images', '000000-class0004.png')));
    }
    expect(pixels[0].equals(pixels[1])).toBe(true);
  });

  it('--shard k/N: three shards write exactly the bytes one process writes, and a rerun redoes only what is missing or broken', async () => {
    // The fixture's random weights (a briefly trained tiny model still paints every image the same grey).
    const flags = [
      'sample',
      '--backend',
      'cpu',
      '--checkpoint',
      pth,
      ...fixtureModel,
      '--classes',
      '0,1,2',
      '--num_per_class',
      '3',
      '--num_sampling_steps',
      '1',
      '--cfg',
      '2',
    ];
    const whole = join(dir, 'whole');
    const sharded = join(dir, 'sharded');
    const one = bufferContext(dir);
    expect(await runCli([...flags, '--batch_size', '4', '--output_dir', whole], one.context), one.stderr()).toBe(0);
    for (const k of [2, 0, 1]) {
      const part = bufferContext(dir);
      expect(await runCli([...flags, '--batch_size', '2', '--shard', `${k}/3`, '--output_dir', sharded], part.context), part.stderr()).toBe(0);
      expect(part.stderr()).toContain(`shard ${k}/3: images ${3 * k}…${3 * k + 2} of 9`);
    }
    const names = readdirSync(join(whole, 'images')).sort();
    expect(names).toHaveLength(9);
    expect(readdirSync(join(sharded, 'images')).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(join(sharded, 'images', name)).equals(readFileSync(join(whole, 'images', name))), name).toBe(true);
    const distinct = new Set(names.map((name) => readFileSync(join(whole, 'images', name)).toString('base64')));
    expect(distinct.size).toBe(9);

    // A crash: one image missing, one cut short. The rerun regenerates those two, byte for byte.
    const lost = join(sharded, 'images', names[4]);
    const cut = join(sharded, 'images', names[5]);
    rmSync(lost);
    writeFileSync(cut, readFileSync(join(whole, 'images', names[5])).subarray(0, 40));
    const rerun = bufferContext(dir);
    expect(await runCli([...flags, '--batch_size', '2', '--shard', '1/3', '--output_dir', sharded], rerun.context), rerun.stderr()).toBe(0);
    expect(rerun.stderr()).toContain('1 already written');
    expect(rerun.stderr()).toContain('wrote 2 images');
    for (const name of [names[4], names[5]]) expect(readFileSync(join(sharded, 'images', name)).equals(readFileSync(join(whole, 'images', name)))).toBe(true);

    const other = bufferContext(dir);
    expect(await runCli([...flags, '--seed', '1', '--shard', '0/3', '--output_dir', sharded], other.context)).toBe(2);
    expect(other.stderr()).toContain('seed: 0 there, 1 now');
  });

  it('--shard auto without a scheduler says what it looks for', async () => {
    const saved = { ...process.env };
    for (const name of ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID']) delete process.env[name];
    try {
      const { context, stderr } = bufferContext(dir);
      expect(await runCli(['sample', '--backend', 'cpu', '--checkpoint', run, '--shard', 'auto', '--output_dir', join(dir, 'auto')], context)).toBe(2);
      expect(stderr()).toContain('JOB_COMPLETION_INDEX with JOB_COMPLETIONS');
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it('asks for --model when exported weights do not say which model they are', async () => {
    const bare = join(dir, 'bare.safetensors');
    const ema = new Map(
      [...readSafetensorsFile(join(run, 'checkpoints', 'checkpoint-2.safetensors')).tensors]
        .filter(([key]) => key.startsWith('model_ema1.'))
        .map(([key, value]) => [key.slice('model_ema1.'.length), value]),
    );
    writeSafetensorsFile(bare, ema);
    const missing = bufferContext(dir);
    expect(await runCli(['sample', '--backend', 'cpu', '--checkpoint', bare, '--output_dir', join(dir, 'bare')], missing.context)).toBe(2);
    expect(missing.stderr()).toContain('does not say which model they belong to');
    const given = bufferContext(dir);
    expect(
      await runCli(
        [
          'sample',
          '--backend',
          'cpu',
          '--checkpoint',
          bare,
          ...tinyModelFlags,
          '--classes',
          '0',
          '--num_per_class',
          '1',
          '--num_sampling_steps',
          '1',
          '--output_dir',
          join(dir, 'bare'),
        ],
        given.context,
      ),
      given.stderr(),
    ).toBe(0);
  });

  itWithFixtures('explains a checkpoint that does not fit the model', ['torch-checkpoint'], async () => {
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['sample', '--backend', 'cpu', '--checkpoint', pth, '--num_sampling_steps', '1', '--output_dir', join(dir, 'wrong')], context)).toBe(1);
    expect(stderr()).toContain('but this model is JiT-B/16 (depth 12, width 768, patch 16)');
  });
});
