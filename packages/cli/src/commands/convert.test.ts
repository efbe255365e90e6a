import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pixelrepa/tensor';
import { readCheckpoint } from '@pixelrepa/train/node';
import { flattenTensors, type RawTensor } from '@pixelrepa/io';
import { readSafetensorsFile, readTorchCheckpointFile } from '@pixelrepa/io/node';
import { fixturePath, itWithFixtures } from '@pixelrepa/tensor/testing';
import { runCli } from '../cli.js';
import { bufferContext, tinyModelFlags } from '../test-support/harness.js';

const fixture = fixturePath('torch-checkpoint');
const pth = join(fixture, 'checkpoint-last.pth');

const bytesOf = (tensor: RawTensor) => Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);

function expectSameTensors(actual: Map<string, RawTensor>, expected: Map<string, RawTensor>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, tensor] of expected) {
    const found = actual.get(name)!;
    expect({ name, dtype: found.dtype, shape: found.shape }).toEqual({ name, dtype: tensor.dtype, shape: tensor.shape });
    expect(bytesOf(found).equals(bytesOf(tensor)), name).toBe(true);
  }
}

describe('pixelrepa convert', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-convert-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help explains the arguments', async () => {
    const { context, stdout } = bufferContext(dir);
    expect(await runCli(['convert', '--help'], context)).toBe(0);
    expect(stdout()).toContain('Usage: pixelrepa convert <in.pth|checkpoint.safetensors|run-dir> <out.safetensors|out.pth> [flags]');
    expect(stdout()).toContain('--weights <which>');
  });

  itWithFixtures('writes model_ema1 under its PyTorch names with exactly the .pth values, and the run args as metadata', ['torch-checkpoint'], async () => {
    const out = join(dir, 'ema1.safetensors');
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['convert', pth, out, '--weights', 'model_ema1'], context)).toBe(0);
    expect(stderr()).toContain('wrote 72 tensors');
    const written = readSafetensorsFile(out);
    expectSameTensors(written.tensors, flattenTensors(readTorchCheckpointFile(pth, { select: ['model_ema1'] }).model_ema1));
    expect(written.tensors.has('blocks.0.attn.qkv.weight')).toBe(true);
    expect(JSON.parse(written.metadata.pixelrepa_jit)).toMatchObject({ weights: 'model_ema1', model: 'JiT-B/16', cfg: 3.1 });
  });

  itWithFixtures('--all writes every tensor leaf under dotted paths, as the fixture expects', ['torch-checkpoint'], async () => {
    const out = join(dir, 'all.safetensors');
    expect(await runCli(['convert', pth, out, '--all'], bufferContext(dir).context)).toBe(0);
    // The fixture stores bf16 widened to f32, bool as u8 and 0-d tensors as [1]: compare values, widening both sides.
    const written = readSafetensorsFile(out, { widenHalf: true });
    const expected = readSafetensorsFile(join(fixture, 'expected.safetensors'), { widenHalf: true }).tensors;
    expect([...written.tensors.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, tensor] of expected) {
      const found = written.tensors.get(name)!;
      expect(found.shape.length === 0 ? [1] : found.shape, name).toEqual(tensor.shape);
      expect(Array.from(found.data as ArrayLike<number | bigint>, Number), name).toEqual(Array.from(tensor.data as ArrayLike<number | bigint>, Number));
    }
    expect(written.metadata.epoch).toBe('599');
    expect(JSON.parse(written.metadata.args)).toMatchObject({ model: 'JiT-B/16', cfg: 3.1 });
  });

  it('exports an EMA of a pixelrepa train run (the folder → its newest checkpoint) that sample loads without --model', async () => {
    await initBackend('cpu');
    const run = join(dir, 'run');
    const trained = bufferContext(dir);
    expect(
      await runCli(
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
          '8',
          '--batch_size',
          '4',
          '--steps',
          '2',
          '--checkpoint_every',
          '1',
          '--blr',
          '1e-2',
          '--warmup_epochs',
          '0',
          '--output_dir',
          run,
        ],
        trained.context,
      ),
      trained.stderr(),
    ).toBe(0);
    const newest = readCheckpoint(join(run, 'checkpoints', 'checkpoint-2.safetensors'));
    for (const weights of ['model_ema2', 'model'] as const) {
      const out = join(dir, `run-${weights}.safetensors`);
      const { context, stderr } = bufferContext(dir);
      expect(await runCli(['convert', run, out, '--weights', weights], context), stderr()).toBe(0);
      const prefix = weights === 'model' ? 'model.net.' : `${weights}.`;
      const expected = new Map([...newest.tensors].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
      const written = readSafetensorsFile(out);
      expectSameTensors(written.tensors, expected);
      expect(written.tensors.has('blocks.0.attn.qkv.weight')).toBe(true);
      expect(JSON.parse(written.metadata.pixelrepa_jit)).toMatchObject({
        weights,
        step: 2,
        model: 'JiT-Tiny/4',
        img_size: 16,
        model_config: { depth: 3, hiddenSize: 64 },
      });
    }
    // EMAs differ from the live weights after two steps.
    const ema = readSafetensorsFile(join(dir, 'run-model_ema2.safetensors')).tensors.get('final_layer.linear.weight')!;
    const live = readSafetensorsFile(join(dir, 'run-model.safetensors')).tensors.get('final_layer.linear.weight')!;
    expect(bytesOf(ema).equals(bytesOf(live))).toBe(false);

    const sampled = bufferContext(dir);
    expect(
      await runCli(
        [
          'sample',
          '--backend',
          'cpu',
          '--checkpoint',
          join(dir, 'run-model_ema2.safetensors'),
          '--classes',
          '3',
          '--num_per_class',
          '1',
          '--num_sampling_steps',
          '2',
          '--output_dir',
          join(dir, 'samples'),
        ],
        sampled.context,
      ),
      sampled.stderr(),
    ).toBe(0);
    expect(sampled.stderr()).toContain('exported JiT weights');
    const refused = bufferContext(dir);
    expect(await runCli(['convert', run, join(dir, 'x.safetensors'), '--all'], refused.context)).toBe(2);
    expect(refused.stderr()).toContain('is already safetensors with every tensor of the run; --all is for .pth files');
    const empty = bufferContext(dir);
    expect(await runCli(['convert', dir, join(dir, 'y.safetensors')], empty.context)).toBe(2);
    expect(empty.stderr()).toMatch(/no checkpoint-<step>\.safetensors in .*; convert takes a \.pth, a checkpoint file or a run folder/);
  });

  it('says what is wrong with the arguments', async () => {
    const one = bufferContext(dir);
    expect(await runCli(['convert', pth], one.context)).toBe(2);
    expect(one.stderr()).toContain('convert takes an input .pth and an output .safetensors, got 1 argument');
    const missing = bufferContext(dir);
    expect(await runCli(['convert', pth, join(dir, 'x.safetensors'), '--weights', 'model_ema3'], missing.context)).toBe(2);
    expect(missing.stderr()).toContain('--weights must be one of model_ema1, model_ema2, model');
  });
});
