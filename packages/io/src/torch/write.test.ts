import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawTensor } from '../dtypes.js';
import { PythonFloat, PythonTuple } from '../pickle/pickler.js';
import { fixtureDir } from '../test-support/fixtures.js';
import { itWithFixtures } from '../test-support/fixture-suite.js';
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
      state: new Map<TorchSaveValue, TorchSaveValue>([
        [0, { step: { dtype: 'F32', shape: [], data: Float32Array.of(12) }, exp_avg: tensors.get('blocks.0.attn.qkv.weight')! }],
      ]),
      param_groups: [
        { lr: 0.0002, betas: new PythonTuple([0.9, 0.95]), eps: 1e-8, weight_decay: new PythonFloat(0), amsgrad: false, foreach: null, params: [0, 1] },
      ],
    };
    const bytes = writeTorchCheckpoint(
      { model: stateDict(tensors), optimizer, epoch: 599, args: { model: 'JiT-B/16', cfg: 3.1, big: 2n ** 40n, negative: -3, name: 'é' } },
      { name: 'checkpoint-last' },
    );
    const read = readTorchCheckpoint(bytes) as Record<string, any>;
    for (const [key, tensor] of tensors) expect(read.model[key], key).toEqual(tensor);
    expect([...Object.keys(read.model)]).toEqual([...tensors.keys()]);
    expect(read.epoch).toBe(599);
    expect({ ...read.args, big: BigInt(read.args.big) }).toEqual({ model: 'JiT-B/16', cfg: 3.1, big: 2n ** 40n, negative: -3, name: 'é' });
    expect(read.optimizer.param_groups[0]).toEqual({
      lr: 0.0002,
      betas: [0.9, 0.95],
      eps: 1e-8,
      weight_decay: 0,
      amsgrad: false,
      foreach: null,
      params: [0, 1],
    });
    expect(read.optimizer.state.get(0).step).toEqual({ dtype: 'F32', shape: [], data: Float32Array.of(12) });
  });

  itWithFixtures('rewrites the official torch-checkpoint fixture into a file our reader reads as the same values', ['torch-checkpoint'], () => {
    const original = readTorchCheckpoint(readFileSync(join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth')));
    const rewritten = readTorchCheckpoint(writeTorchCheckpoint(original as TorchSaveValue));
    expect(rewritten).toEqual(original);
  });

  it('loads in torch.load (weights_only=True on torch ≥ 2) with only the allowed globals when a Python with torch is installed', (context) => {
    // $PIXELREPA_PYTHON, else the first of python3 on PATH and Debian's (python3-torch installs there).
    const candidates = [process.env.PIXELREPA_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
    const python = candidates.find((c) => spawnSync(c, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
    if (!python) {
      console.log(`skipped: none of ${candidates.join(', ')} can import torch (apt-get install python3-torch)`);
      context.skip();
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-pth-'));
    try {
      const file = join(dir, 'checkpoint-last.pth');
      writeFileSync(file, writeTorchCheckpoint({ model: stateDict(tensors), epoch: 3, args: { cfg: 3.1 } }, { name: 'checkpoint-last' }));
      const script = [
        'import sys, torch',
        // torch < 2 has no BINFLOAT in its weights-only unpickler (any float, e.g. an lr, fails there):
        // load as the official --resume does then, and list the file's globals to check they are the allowed ones.
        'import pickletools, zipfile',
        'z = zipfile.ZipFile(sys.argv[1]); p = [n for n in z.namelist() if n.endswith("data.pkl")][0]',
        'globals_ = {a for op, a, _ in pickletools.genops(z.read(p)) if op.name in ("GLOBAL", "STACK_GLOBAL")}',
        'allowed = {"collections OrderedDict", "torch._utils _rebuild_tensor_v2"}',
        'assert all(g in allowed or g.startswith("torch ") and g.endswith("Storage") for g in globals_), globals_',
        'new = int(torch.__version__.split(".")[0]) >= 2',
        'c = torch.load(sys.argv[1], map_location="cpu", weights_only=new)',
        'm = c["model"]',
        'assert type(m).__name__ == "OrderedDict", type(m)',
        'assert torch.equal(m["blocks.0.attn.qkv.weight"], torch.tensor([[1.5, -2.0], [3e-8, 4.0], [5.0, 6.25]], dtype=torch.float32)), m["blocks.0.attn.qkv.weight"]',
        'assert m["half"].dtype == torch.bfloat16 and m["half"].tolist() == [1.0, -2.0]',
        'assert m["count"].item() == 7 and m["mask"].tolist() == [[True, False, True]] and m["empty"].shape == (0, 4)',
        'assert c["epoch"] == 3 and c["args"]["cfg"] == 3.1',
        'print("ok")',
      ].join('\n');
      const run = spawnSync(python, ['-c', script, file], { encoding: 'utf8' });
      expect(run.stdout.trim(), run.stderr).toBe('ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
