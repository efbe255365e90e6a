import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { bufferContext } from './test-support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'not-a-folder.png'), 'x');

const train = ['train', '--data', 'procedural', '--steps', '1', '--output_dir', join(dir, 'never')];

// Each wrong command line: exit 2 before any work (no backend started, nothing downloaded), naming the flag and what it accepts.
const cases: Array<[string[], string, RegExp]> = [
  [[...train, '--batch_size', '0'], '--batch_size', /whole number ≥ 1/],
  [[...train, '--blr', '-1'], '--blr', /≥ 0/],
  [[...train, '--betas', '2,3'], '--betas', /takes 2 comma-separated numbers, each in \[0, 1\)/],
  [[...train, '--betas', '0.9'], '--betas', /takes 2 comma-separated numbers/],
  [[...train, '--model_overrides', '{"dept": 2}'], '--model_overrides', /unknown field "dept".*depth/],
  [[...train, '--model_overrides', '{"depth": 2.5}'], '--model_overrides', /"depth" must be a whole number/],
  [[...train, '--model_overrides', '[1]'], '--model_overrides', /JSON object of JiT config fields/],
  [[...train, '--mta', 'MTA-X/16'], '--mta', /MTA preset: MTA-B\/16/],
  [[...train, '--model', 'JiT-Q/16'], '--model', /JiT preset: JiT-B\/16/],
  [[...train, '--patch_mask_ratio', '1.5'], '--patch_mask_ratio', /in \[0, 1\)/],
  [[...train, '--ema_decay1', '1'], '--ema_decay1', /in \[0, 1\)/],
  [[...train, '--label_drop_prob', '-0.1'], '--label_drop_prob', /in \[0, 1\)/],
  [[...train, '--P_std', '0'], '--P_std', /> 0/],
  [[...train, '--t_eps', '0'], '--t_eps', /in \(0, 1\)/],
  [[...train, '--steps', '0'], '--steps', /≥ 1/],
  [[...train, '--epochs', '0'], '--epochs', /> 0/],
  [[...train, '--checkpoint_every', '0'], '--checkpoint_every', /≥ 1/],
  [[...train, '--keep_last', '0'], '--keep_last', /≥ 1/],
  [[...train, '--data_length', '0'], '--data_length', /≥ 1/],
  [[...train, '--threads', '0'], '--threads', /≥ 1/],
  [[...train, '--encoder', join(dir, 'missing.safetensors')], '--encoder', /expected a file \(or one of dinov2-/],
  [[...train, '--img_size', '30'], '--img_size', /not divisible by patchSize/],
  [['train', '--data_path', join(dir, 'missing'), '--steps', '1'], '--data_path', /expected a folder/],
  [['train', '--data_path', join(dir, 'not-a-folder.png'), '--steps', '1'], '--data_path', /it is a file/],
  [['train', '--steps', '1', '--output_dir', join(dir, 'never')], '--data_path', /no training data/],
  [['train', '--init_from', join(dir, 'missing.pth'), '--data', 'procedural'], '--init_from', /expected a file/],
  [['sample', '--checkpoint', join(dir, 'missing')], '--checkpoint', /expected a file or folder/],
  [['sample', '--checkpoint', dir, '--num_sampling_steps', '0'], '--num_sampling_steps', /≥ 1/],
  [['sample', '--checkpoint', dir, '--interval_min', '2'], '--interval_min', /in \[0, 1\]/],
  [['sample', '--checkpoint', dir, '--classes', '1.5'], '--classes', /whole numbers/],
  [['sample', '--checkpoint', dir, '--batch_size', '0'], '--batch_size', /≥ 1/],
  [['eval', '--images', join(dir, 'missing'), '--reference', join(dir, 'stats.npz')], '--images', /expected a folder/],
  [['eval', '--images', dir, '--reference', join(dir, 'stats.npz')], '--reference', /expected a file/],
  [['eval', '--images', dir, '--metrics', 'is', '--num_images', '0'], '--num_images', /≥ 1/],
  [['prepare', dir, '--out', join(dir, 'cache'), '--shard_mb', '0'], '--shard_mb', /> 0/],
  [['prepare', join(dir, 'missing'), '--out', join(dir, 'cache')], 'missing', /is not a folder.*prepare takes an image folder/],
  [['convert', join(dir, 'missing.pth'), join(dir, 'out.safetensors')], 'missing.pth', /does not exist/],
];

describe('every flag is checked before any work', () => {
  it.each(cases)('%j', async (argv, flag, accepts) => {
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(argv, context), stderr()).toBe(2);
    expect(stderr()).toContain(flag);
    expect(stderr()).toMatch(accepts);
    expect(stderr().match(/--help/g)).toHaveLength(1);
    expect(stderr()).not.toContain('backend:');
  });

  it("checks a config file's values the same way, naming the file", async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ data: 'procedural', steps: 1, batch_size: 0 }));
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['train', '--config', config], context)).toBe(2);
    expect(stderr()).toContain('--batch_size must be a whole number ≥ 1');
    expect(stderr()).toContain(config);
  });

  it('an unknown flag points at --help once', async () => {
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['train', '--bacth_size', '4'], context)).toBe(2);
    expect(stderr()).toContain('did you mean --batch_size?');
    expect(stderr().match(/pixelrepa train --help/g)).toHaveLength(1);
  });
});
