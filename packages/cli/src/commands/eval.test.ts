import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proceduralDataset } from '@pixelrepa/data';
import { statisticsFromNpz } from '@pixelrepa/metrics';
import { initBackend, tf } from '@pixelrepa/tensor';
import { runCli } from '../cli.js';
import { writePng } from '@pixelrepa/data/node';
import { bufferContext, tinyModelFlags } from '../test-support/harness.js';
import { standInExtractor } from '../test-support/stand-in-extractor.js';

interface EvalJson {
  count: number;
  fid?: number;
  is?: { mean: number; std: number };
  kid?: { mean: number; std: number };
  pr?: { precision: number; recall: number };
}

describe('pixelrepa eval', () => {
  let dir: string;
  let run: string;
  let extractor: ReturnType<typeof standInExtractor>;
  const withExtractor = () => {
    const buffers = bufferContext(dir);
    buffers.context.extractor = extractor;
    return buffers;
  };

  beforeAll(async () => {
    await initBackend('cpu');
    extractor = standInExtractor();
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-eval-'));
    // Reference images: 12 procedural 16 px images in class folders.
    const data = proceduralDataset({ imageSize: 16, length: 12, seed: 3 });
    for (let i = 0; i < data.length; i++) {
      const { image, label } = data.render(i);
      mkdirSync(join(dir, 'reference', `class${label}`), { recursive: true });
      await writePng(join(dir, 'reference', `class${label}`, `${i}.png`), image.data, image.width, image.height);
    }
    run = join(dir, 'run');
    const train = bufferContext(dir);
    if (
      (await runCli(
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
          '1',
          '--output_dir',
          run,
        ],
        train.context,
      )) !== 0
    )
      throw new Error(train.stderr());
    const sample = bufferContext(dir);
    if (
      (await runCli(
        [
          'sample',
          '--backend',
          'cpu',
          '--checkpoint',
          run,
          '--classes',
          '0,1,2,3',
          '--num_per_class',
          '2',
          '--num_sampling_steps',
          '2',
          '--output_dir',
          join(dir, 'generated'),
        ],
        sample.context,
      )) !== 0
    )
      throw new Error(sample.stderr());
  });
  afterAll(() => {
    extractor.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help shows the modes and the metric flags', async () => {
    const { context, stdout } = bufferContext(dir);
    expect(await runCli(['eval', '--help'], context)).toBe(0);
    for (const flag of ['--images', '--reference <stats.npz>', '--reference_folder', '--save_reference', '--metrics', '--inception_weights', '--num_images'])
      expect(stdout()).toContain(flag);
  });

  it('saves reference statistics of a folder, then scores generated PNGs against them', async () => {
    const npz = join(dir, 'reference.npz');
    const save = withExtractor();
    expect(await runCli(['eval', '--backend', 'cpu', '--save_reference', npz, '--images', join(dir, 'reference')], save.context), save.stderr()).toBe(0);
    expect(JSON.parse(save.stdout())).toMatchObject({ saved: npz, count: 12, dim: 2048 });
    expect(statisticsFromNpz(readFileSync(npz)).count).toBe(12);

    const before = tf.memory().numTensors;
    const scored = withExtractor();
    expect(
      await runCli(
        ['eval', '--backend', 'cpu', '--images', join(dir, 'generated', 'images'), '--reference', npz, '--metrics', 'fid,is', '--is_splits', '2'],
        scored.context,
      ),
      scored.stderr(),
    ).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const result = JSON.parse(scored.stdout()) as EvalJson;
    expect(result.count).toBe(8);
    expect(result.fid).toBeGreaterThan(0);
    expect(Number.isFinite(result.is!.mean)).toBe(true);

    const same = withExtractor();
    expect(await runCli(['eval', '--backend', 'cpu', '--images', join(dir, 'reference'), '--reference', npz, '--metrics', 'fid'], same.context)).toBe(0);
    expect((JSON.parse(same.stdout()) as EvalJson).fid).toBeLessThan(1e-3);
  });

  it('samples a checkpoint first and computes KID and precision/recall against a reference folder', async () => {
    const out = join(dir, 'result.json');
    const { context, stdout, stderr } = withExtractor();
    const code = await runCli(
      [
        'eval',
        '--backend',
        'cpu',
        '--checkpoint',
        run,
        '--num_images',
        '6',
        '--num_sampling_steps',
        '2',
        '--reference_folder',
        join(dir, 'reference'),
        '--metrics',
        'fid,kid,pr',
        '--kid_subsets',
        '4',
        '--output',
        out,
      ],
      context,
    );
    expect(code, stderr()).toBe(0);
    const result = JSON.parse(stdout()) as EvalJson;
    expect(result.count).toBe(6);
    expect(Number.isFinite(result.fid)).toBe(true);
    expect(Number.isFinite(result.kid!.mean)).toBe(true);
    expect(result.pr!.precision).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(result);
  });

  it('says which reference a metric needs', async () => {
    const fid = withExtractor();
    expect(await runCli(['eval', '--images', join(dir, 'reference'), '--metrics', 'fid'], fid.context)).toBe(2);
    expect(fid.stderr()).toContain('fid need a reference: --reference stats.npz or --reference_folder <dir>');
    const kid = withExtractor();
    writeFileSync(join(dir, 'x.npz'), '');
    expect(await runCli(['eval', '--images', join(dir, 'reference'), '--reference', 'x.npz', '--metrics', 'kid'], kid.context)).toBe(2);
    expect(kid.stderr()).toContain("kid and pr need the reference images' features");
  });
});
