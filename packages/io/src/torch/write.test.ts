import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawTensor } from '../dtypes.js';
import { PythonFloat, PythonTuple } from '../pickle/pickler.js';
import { fixtureDir } from '../test-support/fixtures.js';
import { readTorchCheckpoint } from './checkpoint.js';
import { stateDict, writeTorchCheckpoint, type TorchSaveValue } from './write.js';

const tensors = new Map<string, RawTensor>([
  ['blocks.0.attn.qkv.weight', { dtype: 'F32', shape: [3, 2], data: Float32Array.of(1.5, -2, 3e-8, 4, 5, 6.25) }],
  ['half', { dtype: 'BF16', shape: [2], data: Uint16Array.of(0x3f80, 0xc000) }],
  ['count', { dtype: 'I64', shape: [], data: BigInt64Array.of(7n) }],
  ['mask', { dtype: 'BOOL', shape: [1, 3], data: Uint8Array.of(1, 0, 1) }],
  ['empty', { dtype: 'F64', shape: [0, 4], data: new Float64Array(0) }],
]);

describe('writeTorchCheckpoint', () => {
  it('reads back with our reader: every tensor exact, plain values as written', () => {
    const optimizer = {
      state: new Map<TorchSaveValue, TorchSaveValue>([[0, { step: { dtype: 'F32', shape: [], data: Float32Array.of(12) }, exp_avg: tensors.get('blocks.0.attn.qkv.weight')! }]]),
      param_groups: [{ lr: 0.0002, betas: new PythonTuple([0.9, 0.95]), eps: 1e-8, weight_decay: new PythonFloat(0), amsgrad: false, foreach: null, params: [0, 1] }],
    };
    const bytes = writeTorchCheckpoint({ model: stateDict(tensors), optimizer, epoch: 599, args: { model: 'JiT-B/16', cfg: 3.1, big: 2n ** 40n, negative: -3, name: 'é' } }, { name: 'checkpoint-last' });
    const read = readTorchCheckpoint(bytes) as Record<string, any>;
    for (const [key, tensor] of tensors) expect(read.model[key], key).toEqual(tensor);
    expect([...Object.keys(read.model)]).toEqual([...tensors.keys()]);
    expect(read.epoch).toBe(599);
    expect({ ...read.args, big: BigInt(read.args.big) }).toEqual({ model: 'JiT-B/16', cfg: 3.1, big: 2n ** 40n, negative: -3, name: 'é' });
    expect(read.optimizer.param_groups[0]).toEqual({ lr: 0.0002, betas: [0.9, 0.95], eps: 1e-8, weight_decay: 0, amsgrad: false, foreach: null, params: [0, 1] });
    expect(read.optimizer.state.get(0).step).toEqual({ dtype: 'F32', shape: [], data: Float32Array.of(12) });
  });

  it('rewrites the official torch-checkpoint fixture into a file our reader reads as the same values', () => {
    const original = readTorchCheckpoint(readFileSync(join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth')));
    const rewritten = readTorchCheckpoint(writeTorchCheckpoint(original as TorchSaveValue));
    expect(rewritten).toEqual(original);
  });

  it('loads in torch.load(weights_only=True) when python3 has torch', (context) => {
    const probe = spawnSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.log(`skipped: python3 cannot import torch (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()})`);
      context.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-pth-'));
    try {
      const file = join(dir, 'checkpoint-last.pth');
      writeFileSync(file, writeTorchCheckpoint({ model: stateDict(tensors), epoch: 3, args: { cfg: 3.1 } }, { name: 'checkpoint-last' }));
      const script = [
        'import sys, torch',
        'c = torch.load(sys.argv[1], map_location="cpu", weights_only=True)',
        'm = c["model"]',
        'assert type(m).__name__ == "OrderedDict", type(m)',
        'assert m["blocks.0.attn.qkv.weight"].tolist() == [[1.5, -2.0], [2.9999999195894442e-08, 4.0], [5.0, 6.25]], m["blocks.0.attn.qkv.weight"].tolist()',
        'assert m["half"].dtype == torch.bfloat16 and m["half"].tolist() == [1.0, -2.0]',
        'assert m["count"].item() == 7 and m["mask"].tolist() == [[True, False, True]] and m["empty"].shape == (0, 4)',
        'assert c["epoch"] == 3 and c["args"]["cfg"] == 3.1',
        'print("ok")',
      ].join('\n');
      const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
      expect(run.stdout.trim(), run.stderr).toBe('ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
