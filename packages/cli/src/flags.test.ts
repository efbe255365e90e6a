import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { defineFlags, helpText, parseCommandLine, type CommandSpec } from './flags.js';

const flags = defineFlags({
  model: { type: 'string', value: 'preset', default: 'JiT-B/16', description: 'JiT preset' },
  P_mean: { type: 'number', default: -0.8, group: 'Diffusion', description: 'mean' },
  batch_size: { type: 'integer', default: 128, description: 'images per step' },
  offline: { type: 'boolean', description: 'never download' },
  classes: { type: 'numbers', description: 'labels' },
  metrics: { type: 'list', default: ['fid'], choices: ['fid', 'is', 'kid'], description: 'metrics' },
  data_path: { type: 'path', description: 'images' },
  overrides: { type: 'json', description: 'config fields' },
});
const spec: CommandSpec<typeof flags> = { name: 'demo', summary: 'a demo', usage: '[flags]', flags, examples: ['pixelrepa demo --P_mean -1'] };

describe('parseCommandLine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-flags-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads values of every type, negative numbers and --name=value included', () => {
    const { values, given, positionals } = parseCommandLine(spec, [
      '--P_mean',
      '-1.5',
      '--batch-size=64',
      '--offline',
      '--classes',
      '1,2,3',
      '--metrics',
      'fid,is',
      '--overrides',
      '{"depth":2}',
      'extra',
    ]);
    expect(values).toMatchObject({
      model: 'JiT-B/16',
      P_mean: -1.5,
      batch_size: 64,
      offline: true,
      classes: [1, 2, 3],
      metrics: ['fid', 'is'],
      overrides: { depth: 2 },
    });
    expect([...given].sort()).toEqual(['P_mean', 'batch_size', 'classes', 'metrics', 'offline', 'overrides']);
    expect(positionals).toEqual(['extra']);
    expect(parseCommandLine(spec, ['--offline', '--no-offline']).values.offline).toBe(false);
  });

  it('takes flags from a config file and lets the command line override them; paths are relative to the file', () => {
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify({ model: 'JiT-L/16', 'batch-size': 32, P_mean: -1, metrics: ['is', 'kid'], data_path: 'train', offline: true }));
    const { values, configFile } = parseCommandLine(spec, ['--config', config, '--P_mean', '-0.5'], { cwd: '/elsewhere' });
    expect(configFile).toBe(config);
    expect(values).toMatchObject({ model: 'JiT-L/16', batch_size: 32, P_mean: -0.5, metrics: ['is', 'kid'], data_path: join(dir, 'train'), offline: true });
  });

  it('explains bad input: unknown flags, bad numbers, choices, missing values, config files', () => {
    const message = (argv: string[]) => {
      try {
        parseCommandLine(spec, argv, { cwd: dir });
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(message(['--batchsize', '2'])).toBe('unknown flag --batchsize for "pixelrepa demo"; did you mean --batch_size?');
    expect(message(['--batch_size', '2.5'])).toBe('--batch_size expects a whole number, got 2.5');
    expect(message(['--P_mean', 'low'])).toBe('--P_mean expects a number, got "low"');
    expect(message(['--metrics', 'fid,lpips'])).toBe('--metrics must be one of fid, is, kid; got "lpips"');
    expect(message(['--model'])).toBe('--model needs a value: --model <preset>');
    expect(message(['-x'])).toContain('unknown option -x');
    writeFileSync(join(dir, 'bad.json'), '{"model": "JiT-B/16",}');
    expect(message(['--config', 'bad.json'])).toContain('is not valid JSON');
    writeFileSync(join(dir, 'unknown.json'), '{"modle": "JiT-B/16"}');
    expect(message(['--config', 'unknown.json'])).toContain('unknown flag "modle" for "pixelrepa demo"; did you mean --model?');
    writeFileSync(join(dir, 'typed.json'), '{"offline": "yes"}');
    expect(message(['--config', 'typed.json'])).toContain('"offline" in');
    expect(message(['--config', 'missing.json'])).toContain('cannot read the config file');
  });

  it('stops at --help without reading anything else', () => {
    expect(parseCommandLine(spec, ['--config', 'missing.json', '--help']).help).toBe(true);
  });
});

describe('helpText', () => {
  it('lists every flag with its value name, description, choices and default, by group, then the common flags', () => {
    const text = helpText(spec);
    expect(text).toContain('pixelrepa demo — a demo');
    expect(text).toMatch(/Flags:\n {2}--model <preset>\s+JiT preset \(default JiT-B\/16\)/);
    expect(text).toMatch(/Diffusion:\n {2}--P_mean <number>\s+mean \(default -0\.8\)/);
    expect(text).toMatch(/--metrics <list>\s+metrics \(one of fid, is, kid; default fid\)/);
    expect(text).toMatch(/Common:\n {2}--config <file\.json>/);
    expect(text).toContain('Examples:\n  pixelrepa demo --P_mean -1');
  });
});

describe('flag checks', () => {
  const checked = defineFlags({
    batch_size: { type: 'integer', default: 128, min: 1, description: 'images per step' },
    ratio: { type: 'number', min: 0, below: 1, description: 'a fraction' },
    betas: { type: 'numbers', count: 2, min: 0, below: 1, description: 'AdamW betas' },
    name: { type: 'string', check: (value) => (value === 'ok' ? undefined : 'must be "ok"'), description: 'a name' },
  });
  const checkedSpec: CommandSpec<typeof checked> = { name: 'demo', summary: 'a demo', usage: '[flags]', flags: checked, examples: [] };

  it('refuses values out of range, wrong counts and what a check rejects, saying what the flag accepts', () => {
    expect(() => parseCommandLine(checkedSpec, ['--batch_size', '0'])).toThrow('--batch_size must be a whole number ≥ 1 (images per step), got 0');
    expect(() => parseCommandLine(checkedSpec, ['--ratio', '1'])).toThrow('--ratio must be a number in [0, 1) (a fraction), got 1');
    expect(() => parseCommandLine(checkedSpec, ['--betas', '0.9,0.95,0.99'])).toThrow(
      '--betas takes 2 comma-separated numbers, each in [0, 1) (AdamW betas), got 0.9,0.95,0.99',
    );
    expect(() => parseCommandLine(checkedSpec, ['--name', 'bad'])).toThrow('--name must be "ok"');
    expect(parseCommandLine(checkedSpec, ['--batch_size', '1', '--ratio', '0', '--betas', '0,0.5', '--name', 'ok']).values).toMatchObject({
      batch_size: 1,
      ratio: 0,
      betas: [0, 0.5],
    });
  });

  it('shows the ranges in --help', () => {
    expect(helpText(checkedSpec)).toMatch(/--batch_size <integer>\s+images per step \(≥ 1; default 128\)/);
    expect(helpText(checkedSpec)).toMatch(/--ratio <number>\s+a fraction \(in \[0, 1\)\)/);
  });
});
