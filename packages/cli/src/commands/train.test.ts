import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@pixelrepa/tensor';
import { readCheckpoint } from '@pixelrepa/train/node';
import { flattenTensors } from '@pixelrepa/io';
import { readSafetensorsFile, readTorchCheckpointFile } from '@pixelrepa/io/node';
import { fixtureDir, itWithFixtures } from '@pixelrepa/tensor/testing';
import { runCli } from '../cli.js';
import { bufferContext, tinyModelFlags, writeTinyEncoder } from '../test-support/harness.js';

const readLog = (dir: string) =>
  readFileSync(join(dir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { step: number; loss: number; loss_align?: number });

describe('pixelrepa train', () => {
  let dir: string;
  let encoder: string;
  const common = () => [
    '--backend',
    'cpu',
    ...tinyModelFlags,
    '--data',
    'procedural',
    '--data_length',
    '40',
    '--batch_size',
    '4',
    '--warmup_epochs',
    '0',
    '--blr',
    '1e-3',
    '--encoder',
    encoder,
  ];

  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-train-'));
    encoder = join(dir, 'encoder.safetensors');
    await writeTinyEncoder(encoder);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists the reference flags, grouped, with defaults', async () => {
    const { context, stdout } = bufferContext(dir);
    expect(await runCli(['train', '--help'], context)).toBe(0);
    for (const flag of ['--model <preset>', '--mta', '--P_mean', '--patch_mask_ratio', '--blr', '--resume', '--data_path', '--backend', '--config'])
      expect(stdout()).toContain(flag);
    expect(stdout()).toMatch(/--P_mean <x>\s+mean of the logit-normal time distribution \(default -0\.8\)/);
  });

  it('trains a few PixelREPA steps on procedural data, writing log.jsonl, flags.json and the last checkpoints', async () => {
    const out = join(dir, 'run');
    const { context, stderr } = bufferContext(dir);
    const before = tf.memory().numTensors;
    const code = await runCli(['train', ...common(), '--steps', '3', '--checkpoint_every', '2', '--keep_last', '2', '--output_dir', out], context);
    expect(stderr()).toContain('train 3/3');
    expect(code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const log = readLog(out);
    expect(log.map((line) => line.step)).toEqual([1, 2, 3]);
    expect(log.every((line) => Number.isFinite(line.loss) && Number.isFinite(line.loss_align))).toBe(true);
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(['checkpoint-2.safetensors', 'checkpoint-3.safetensors']);
    const { info } = readCheckpoint(join(out, 'checkpoints', 'checkpoint-3.safetensors'));
    expect(info.step).toBe(3);
    expect(info.config).toMatchObject({ model: 'JiT-Tiny/4', objective: 'pixelrepa', batchSize: 4, modelOverrides: { inputSize: 16, depth: 3 } });
    expect(JSON.parse(readFileSync(join(out, 'flags.json'), 'utf8'))).toMatchObject({ steps: 3, batch_size: 4, encoder });

    // Continuing the folder extends the run; a fresh run into it is refused.
    const more = bufferContext(dir);
    expect(await runCli(['train', ...common(), '--steps', '4', '--output_dir', out, '--resume', out], more.context)).toBe(0);
    expect(readLog(out).map((line) => line.step)).toEqual([1, 2, 3, 4]);
    const again = bufferContext(dir);
    expect(await runCli(['train', ...common(), '--steps', '1', '--output_dir', out], again.context)).toBe(2);
    expect(again.stderr()).toContain('already holds checkpoints');
  });

  it('resumes by the short form from another folder, bit-identical to the uninterrupted run', async () => {
    // Started from `dir` with relative paths (the encoder, the output folder); resumed from elsewhere with only --resume and --steps.
    const flags = [
      '--backend',
      'cpu',
      ...tinyModelFlags,
      '--data',
      'procedural',
      '--data_length',
      '24',
      '--batch_size',
      '4',
      '--warmup_epochs',
      '0',
      '--blr',
      '1e-3',
      '--encoder',
      'encoder.safetensors',
      '--seed',
      '3',
    ];
    const straight = bufferContext(dir);
    expect(await runCli(['train', ...flags, '--steps', '4', '--output_dir', 'straight'], straight.context), straight.stderr()).toBe(0);
    const first = bufferContext(dir);
    expect(await runCli(['train', ...flags, '--steps', '2', '--output_dir', 'halves'], first.context), first.stderr()).toBe(0);
    const elsewhere = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-elsewhere-'));
    try {
      const second = bufferContext(elsewhere);
      expect(await runCli(['train', '--resume', join(dir, 'halves'), '--steps', '4'], second.context), second.stderr()).toBe(0);
      expect(second.stderr()).toContain(`resuming the run in ${join(dir, 'halves')} with its flags`);
      expect(second.stderr()).not.toContain('ignored');
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(readLog(join(dir, 'halves')).map((line) => line.step)).toEqual([1, 2, 3, 4]);
    const a = readSafetensorsFile(join(dir, 'straight', 'checkpoints', 'checkpoint-4.safetensors')).tensors;
    const b = readSafetensorsFile(join(dir, 'halves', 'checkpoints', 'checkpoint-4.safetensors')).tensors;
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect(a.size).toBeGreaterThan(50);
    for (const [name, tensor] of a) expect(Buffer.from(b.get(name)!.data.buffer).equals(Buffer.from(tensor.data.buffer)), name).toBe(true);
  });

  it('reads flags from a config file, and the command line overrides it', async () => {
    const out = join(dir, 'from-config');
    const config = join(dir, 'run.json');
    const flags = Object.fromEntries(
      common()
        .join('\u0000')
        .split('\u0000--')
        .map((pair) => pair.replace(/^--/, '').split('\u0000'))
        .map(([key, value]) => [key, key === 'model_overrides' ? JSON.parse(value) : value]),
    );
    writeFileSync(config, JSON.stringify({ ...flags, objective: 'none', steps: 5, output_dir: 'from-config' }));
    const { context } = bufferContext(dir);
    expect(await runCli(['train', '--config', config, '--steps', '2'], context)).toBe(0);
    expect(readLog(out).map((line) => line.step)).toEqual([1, 2]);
    expect(readLog(out)[0].loss_align).toBeUndefined();
    expect(readCheckpoint(join(out, 'checkpoints', 'checkpoint-2.safetensors')).info.config.objective).toBe('none');
  });

  itWithFixtures('starts a new run from an official .pth (--init_from): the JiT and both EMAs come from the file', ['torch-checkpoint'], async () => {
    const pth = join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth');
    const out = join(dir, 'from-pth');
    const args = [
      'train',
      '--backend',
      'cpu',
      '--model',
      'JiT-Tiny/4',
      '--img_size',
      '32',
      '--class_num',
      '10',
      '--model_overrides',
      JSON.stringify({ depth: 4, hiddenSize: 64, numHeads: 4, bottleneckDim: 16, inContextLen: 4, inContextStart: 2 }),
      '--objective',
      'none',
      '--data',
      'procedural',
      '--data_length',
      '20',
      '--batch_size',
      '2',
      '--steps',
      '1',
      '--lr',
      '0',
      '--init_from',
      pth,
    ];
    // The fixture's optimizer is a made-up one (one group of two parameters): it cannot belong to this model.
    const refused = bufferContext(dir);
    expect(await runCli([...args, '--output_dir', join(dir, 'from-pth-refused')], refused.context)).toBe(2);
    expect(refused.stderr()).toMatch(/optimizer has 1 parameter group; the reference's AdamW has 2 \(no decay, decay\)\. Pass --fresh_optimizer/);
    const { context, stderr } = bufferContext(dir);
    // lr 0: the step leaves the loaded weights exactly as they were.
    const code = await runCli([...args, '--fresh_optimizer', '--output_dir', out], context);
    expect(code, stderr()).toBe(0);
    expect(stderr()).toContain('initialised the JiT, model_ema1, model_ema2 from');
    const saved = readSafetensorsFile(join(out, 'checkpoints', 'checkpoint-1.safetensors')).tensors;
    const official = flattenTensors(readTorchCheckpointFile(pth, { select: ['model'] }).model);
    for (const name of ['blocks.0.attn.qkv.weight', 'x_embedder.proj1.weight', 'y_embedder.embedding_table.weight']) {
      expect(Array.from(saved.get(`model.net.${name}`)!.data as Float32Array), name).toEqual(Array.from(official.get(`net.${name}`)!.data as Float32Array));
    }
  });

  it('refuses to resume from a path that does not exist', async () => {
    const { context, stderr } = bufferContext(dir);
    const missing = join(dir, 'no-such-run');
    expect(await runCli(['train', ...common(), '--steps', '2', '--output_dir', join(dir, 'x'), '--resume', missing], context)).toBe(2);
    expect(stderr()).toContain(`cannot resume: ${missing} does not exist`);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('names unknown flags and suggests the close one', async () => {
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['train', '--P_maen', '-0.5'], context)).toBe(2);
    expect(stderr()).toContain('unknown flag --P_maen for "pixelrepa train"; did you mean --P_mean?');
  });
});
