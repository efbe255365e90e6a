// The sharded path end to end: examples/cluster/run-local.mjs starts 3 processes of
// `pixelrepa sample --shard auto`, eval --shard evaluates the parts, merge scores them, and the
// result equals one process's.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { proceduralDataset } from '@pixelrepa/data';
import { statisticsFromNpz } from '@pixelrepa/metrics';
import { initBackend, tf } from '@pixelrepa/tensor';
import { describeWithFixtures, fixturePath } from '@pixelrepa/tensor/testing';
import { runCli } from '../cli.js';
import { writePng } from '@pixelrepa/data/node';
import { bufferContext, mainPath, repoRoot } from '../test-support/harness.js';
import { standInExtractor } from '../test-support/stand-in-extractor.js';

interface Scores {
  count: number;
  fid: number;
  is: { mean: number; std: number; splitScores: number[] };
  kid: { mean: number; std: number };
  pr: { precision: number; recall: number };
}

/** The torch-checkpoint fixture: a small JiT with random weights, so every image differs. */
const pth = fixturePath('torch-checkpoint', 'checkpoint-last.pth');
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
const sampleFlags = [
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
const metricFlags = ['--metrics', 'fid,is,kid,pr', '--is_splits', '2', '--kid_subsets', '3'];

function largest(x: Float64Array, y: Float64Array): number {
  let out = 0;
  for (let i = 0; i < x.length; i++) out = Math.max(out, Math.abs(x[i] - y[i]));
  return out;
}

/** `node examples/cluster/run-local.mjs <count> -- <pixelrepa args>` with the CLI run from source. */
function runLocal(count: number, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const runner = join(repoRoot, 'examples', 'cluster', 'run-local.mjs');
  const child = spawn(process.execPath, [runner, String(count), '--', process.execPath, '--import', 'tsx', mainPath, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 200_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describeWithFixtures('pixelrepa merge (sharded sampling and evaluation)', ['torch-checkpoint'], () => {
  let dir: string;
  let extractor: ReturnType<typeof standInExtractor>;
  const withExtractor = () => {
    const buffers = bufferContext(dir);
    buffers.context.extractor = extractor;
    return buffers;
  };

  beforeAll(async () => {
    await initBackend('cpu');
    extractor = standInExtractor();
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-merge-'));
    const data = proceduralDataset({ imageSize: 32, length: 10, seed: 4 });
    mkdirSync(join(dir, 'reference'));
    for (let i = 0; i < data.length; i++) {
      const { image } = data.render(i);
      await writePng(join(dir, 'reference', `${i}.png`), image.data, image.width, image.height);
    }
  });
  afterAll(() => {
    extractor.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is listed in pixelrepa --help', async () => {
    const { context, stdout } = bufferContext(dir);
    expect(await runCli(['--help'], context)).toBe(0);
    expect(stdout()).toMatch(/merge\s+combine the shard files/);
  });

  it('3 local processes with --shard auto, then eval --shard and merge, give the one-process images and scores', async () => {
    const sharded = join(dir, 'sharded');
    const local = await runLocal(3, ['sample', ...sampleFlags, '--batch_size', '2', '--shard', 'auto', '--output_dir', sharded]);
    expect(local.code, local.stderr).toBe(0);
    for (const k of [0, 1, 2]) expect(local.stderr).toContain(`[${k}] sampling shard ${k}/3: images ${3 * k}…${3 * k + 2} of 9`);
    const whole = join(dir, 'whole');
    const one = bufferContext(dir);
    expect(await runCli(['sample', ...sampleFlags, '--batch_size', '9', '--output_dir', whole], one.context), one.stderr()).toBe(0);
    const names = readdirSync(join(whole, 'images')).sort();
    expect(readdirSync(join(sharded, 'images')).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(join(sharded, 'images', name)).equals(readFileSync(join(whole, 'images', name))), name).toBe(true);

    const before = tf.memory().numTensors;
    const shards = [0, 1, 2].map((k) => join(dir, `shard-${k}.npz`));
    for (const k of [2, 0, 1]) {
      const part = withExtractor();
      expect(
        await runCli(
          ['eval', '--backend', 'cpu', '--images', join(sharded, 'images'), '--shard', `${k}/3`, '--save_statistics', shards[k], ...metricFlags],
          part.context,
        ),
        part.stderr(),
      ).toBe(0);
      expect(JSON.parse(part.stdout())).toMatchObject({ shard: `${k}/3`, images: [3 * k, 3 * k + 3], total: 9 });
    }
    const merged = withExtractor();
    const mergedStatistics = join(dir, 'merged.npz');
    const singleStatistics = join(dir, 'single.npz');
    expect(
      await runCli(
        [
          'merge',
          '--backend',
          'cpu',
          ...[...shards].reverse(),
          '--reference_folder',
          join(dir, 'reference'),
          ...metricFlags,
          '--save_statistics',
          mergedStatistics,
        ],
        merged.context,
      ),
      merged.stderr(),
    ).toBe(0);
    const single = withExtractor();
    expect(
      await runCli(
        [
          'eval',
          '--backend',
          'cpu',
          '--images',
          join(whole, 'images'),
          '--reference_folder',
          join(dir, 'reference'),
          ...metricFlags,
          '--save_statistics',
          singleStatistics,
        ],
        single.context,
      ),
      single.stderr(),
    ).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const fromShards = JSON.parse(merged.stdout()) as Scores;
    const fromOne = JSON.parse(single.stdout()) as Scores;
    expect(fromShards.count).toBe(9);
    // The statistics agree to float64 round-off. 9 images give a rank-8 covariance of 2048 features,
    // where FID's near-zero eigenvalues turn that round-off into ~1e-7 (docs/metrics.md, singular covariances).
    const [a, b] = [mergedStatistics, singleStatistics].map((file) => statisticsFromNpz(readFileSync(file)));
    const scale = largest(b.covariance, new Float64Array(b.covariance.length));
    expect(largest(a.covariance, b.covariance)).toBeLessThan(1e-13 * scale);
    expect(largest(a.mean, b.mean)).toBeLessThan(1e-14);
    expect(a.count).toBe(9);
    expect(Math.abs(fromShards.fid - fromOne.fid)).toBeLessThan(1e-5);

    // Against statistics (--reference): the one-process statistics of the same images are at distance ~0.
    const againstItself = withExtractor();
    expect(await runCli(['merge', ...shards, '--reference', singleStatistics, '--metrics', 'fid'], againstItself.context), againstItself.stderr()).toBe(0);
    expect(Math.abs((JSON.parse(againstItself.stdout()) as Scores).fid)).toBeLessThan(1e-5);
    expect(fromShards.is).toEqual(fromOne.is);
    expect(fromShards.kid).toEqual(fromOne.kid);
    expect(fromShards.pr).toEqual(fromOne.pr);

    const missing = withExtractor();
    expect(
      await runCli(['merge', '--backend', 'cpu', shards[0], shards[2], '--reference_folder', join(dir, 'reference'), ...metricFlags], missing.context),
    ).toBe(2);
    expect(missing.stderr()).toContain('images 3…5 of 9 are in no shard (missing before shard-2.npz)');
    const twice = withExtractor();
    expect(await runCli(['merge', shards[0], shards[0], shards[1], shards[2], '--metrics', 'is'], twice.context)).toBe(2);
    expect(twice.stderr()).toContain('overlaps shard-0.npz');
  }, 300_000);

  it('eval --checkpoint --shard: sampled-and-evaluated parts merge into the one-process scores; other settings are refused', async () => {
    const flags = [
      '--backend',
      'cpu',
      '--checkpoint',
      pth,
      ...fixtureModel,
      '--num_images',
      '6',
      '--num_sampling_steps',
      '1',
      '--cfg',
      '2',
      '--metrics',
      'is',
      '--is_splits',
      '2',
    ];
    const shards = [0, 1].map((k) => join(dir, `sampled-${k}.npz`));
    for (const k of [0, 1]) {
      const part = withExtractor();
      expect(await runCli(['eval', ...flags, '--batch_size', '2', '--shard', `${k}/2`, '--save_statistics', shards[k]], part.context), part.stderr()).toBe(0);
    }
    const merged = withExtractor();
    expect(await runCli(['merge', ...shards, '--metrics', 'is', '--is_splits', '2'], merged.context), merged.stderr()).toBe(0);
    const single = withExtractor();
    expect(await runCli(['eval', ...flags, '--batch_size', '6'], single.context), single.stderr()).toBe(0);
    expect((JSON.parse(merged.stdout()) as Scores).is).toEqual((JSON.parse(single.stdout()) as Scores).is);

    const otherSeed = join(dir, 'sampled-seed1.npz');
    const other = withExtractor();
    expect(await runCli(['eval', ...flags, '--seed', '1', '--shard', '1/2', '--save_statistics', otherSeed], other.context), other.stderr()).toBe(0);
    const refused = withExtractor();
    expect(await runCli(['merge', shards[0], otherSeed, '--metrics', 'is'], refused.context)).toBe(2);
    expect(refused.stderr()).toContain('sampled-seed1.npz was made with other settings than sampled-0.npz: seed: 0 vs 1');
  }, 300_000);
});
