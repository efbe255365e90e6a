import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenTensors, type RawTensor } from '@pixelrepa/io';
import { readSafetensorsFile, readTorchCheckpointFile } from '@pixelrepa/io/node';
import { fixturesRoot } from '@pixelrepa/tensor/testing';
import { runCli } from '../cli.js';
import { bufferContext } from '../test-support/harness.js';

const fixture = join(fixturesRoot(), 'torch-checkpoint');
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
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-convert-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help explains the arguments', async () => {
    const { context, stdout } = bufferContext(dir);
    expect(await runCli(['convert', '--help'], context)).toBe(0);
    expect(stdout()).toContain('Usage: pixelrepa convert <in.pth> <out.safetensors> [flags]');
    expect(stdout()).toContain('--weights <which>');
  });

  it('writes model_ema1 under its PyTorch names with exactly the .pth values, and the run args as metadata', async () => {
    const out = join(dir, 'ema1.safetensors');
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['convert', pth, out, '--weights', 'model_ema1'], context)).toBe(0);
    expect(stderr()).toContain('wrote 72 tensors');
    const written = readSafetensorsFile(out);
    expectSameTensors(written.tensors, flattenTensors(readTorchCheckpointFile(pth, { select: ['model_ema1'] }).model_ema1));
    expect(written.tensors.has('blocks.0.attn.qkv.weight')).toBe(true);
    expect(JSON.parse(written.metadata.pixelrepa_jit)).toMatchObject({ weights: 'model_ema1', model: 'JiT-B/16', cfg: 3.1 });
  });

  it('--all writes every tensor leaf under dotted paths, as the fixture expects', async () => {
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

  it('says what is wrong with the arguments', async () => {
    const one = bufferContext(dir);
    expect(await runCli(['convert', pth], one.context)).toBe(2);
    expect(one.stderr()).toContain('convert takes an input .pth and an output .safetensors, got 1 argument');
    const missing = bufferContext(dir);
    expect(await runCli(['convert', pth, join(dir, 'x.safetensors'), '--weights', 'model_ema3'], missing.context)).toBe(2);
    expect(missing.stderr()).toContain('--weights must be one of model_ema1, model_ema2, model');
  });
});
