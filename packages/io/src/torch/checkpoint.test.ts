import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource, type ByteSource } from '../byte-source.js';
import { widenHalf, type RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { readSafetensors } from '../safetensors/read.js';
import { buildZip } from '../test-support/zip-builder.js';
import { readZipDirectory } from '../zip/central-directory.js';
import { readZipEntry } from '../zip/entry-data.js';
import { fixtureDir } from '../test-support/fixtures.js';
import { describeWithFixtures } from '../test-support/fixture-suite.js';
import { readTorchCheckpoint } from './checkpoint.js';
import { flattenTensors } from './flatten.js';

// Read when the fixtures are there (describeWithFixtures runs its body only then).
let checkpointBytes: Uint8Array;
let expected: Map<string, RawTensor>;

/** Values as float64, bf16 widened and bool as 0/1, the way expected.safetensors stores them. */
function values(tensor: RawTensor): Float64Array {
  return Float64Array.from(widenHalf(tensor).data as ArrayLike<number>, Number);
}

/** Index of the first element that differs (NaN equals NaN), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectMatchesFixture(tree: unknown, only?: string) {
  const actual = flattenTensors(tree);
  const wanted = [...expected].filter(([name]) => !only || name.startsWith(`${only}.`));
  expect([...actual.keys()].sort()).toEqual(wanted.map(([name]) => name).sort());
  for (const [name, tensor] of wanted) {
    const got = actual.get(name)!;
    // expected.safetensors stores 0-d tensors as [1]; compare element counts and values.
    expect(got.data.length, name).toBe(tensor.data.length);
    expect(firstDifference(values(got), values(tensor)), `first differing element of ${name}`).toBe(-1);
  }
}

/** Re-packs the fixture's entries under another top folder, optionally deflated or zip64. */
function repack(options: { top: string; deflate?: boolean; zip64?: boolean }): Uint8Array {
  const source = bytesSource(checkpointBytes);
  const directory = readZipDirectory(source, 'pth');
  const files = directory.entries.map((entry) => ({
    name: entry.name.replace(/^[^/]+\//, `${options.top}/`),
    data: readZipEntry(source, entry, 'pth').slice(),
  }));
  return buildZip(files, { deflate: options.deflate, zip64: options.zip64, align: 64 });
}

describeWithFixtures('readTorchCheckpoint', ['torch-checkpoint'], () => {
  const dir = fixtureDir('torch-checkpoint');
  checkpointBytes = readFileSync(join(dir, 'checkpoint-last.pth'));
  expected = readSafetensors(readFileSync(join(dir, 'expected.safetensors'))).tensors;

  it('reads every tensor of checkpoint-last.pth exactly (strided views, shared storages, all dtypes, 0-d)', () => {
    expectMatchesFixture(readTorchCheckpoint(checkpointBytes));
  });

  it('reads the non-tensor leaves: ints, strings, floats, tuples, argparse.Namespace', () => {
    const checkpoint = readTorchCheckpoint(checkpointBytes) as any;
    expect(checkpoint.epoch).toBe(599);
    expect(checkpoint.args.model).toBe('JiT-B/16');
    expect(checkpoint.args.cfg).toBe(3.1);
    expect(checkpoint.optimizer.param_groups[0].betas).toEqual([0.9, 0.95]);
    expect(checkpoint.optimizer.param_groups[0].lr).toBe(0.0002);
    expect(checkpoint.optimizer.param_groups[0].params).toEqual([0, 1]);
    // integer keys keep their type, so the optimizer state is a Map
    expect(checkpoint.optimizer.state).toBeInstanceOf(Map);
    expect([...checkpoint.optimizer.state.keys()]).toEqual([0, 1]);
  });

  it('keeps dtypes (BF16 as raw bits unless widenHalf) and 0-d shapes', () => {
    const model = readTorchCheckpoint(checkpointBytes).model as Record<string, RawTensor>;
    expect(model['dtype.bf16']).toMatchObject({ dtype: 'BF16', shape: [3, 5] });
    expect(model['dtype.bool']).toMatchObject({ dtype: 'BOOL', shape: [3] });
    expect(model['dtype.i64'].data).toBeInstanceOf(BigInt64Array);
    expect(model['scalar.f32'].shape).toEqual([]);
    expect(model['view.transposed']).toMatchObject({ dtype: 'F32', shape: [6, 4] });
    const widened = readTorchCheckpoint(checkpointBytes, { widenHalf: true }).model as Record<string, RawTensor>;
    expect(widened['dtype.bf16'].dtype).toBe('F32');
    expect(widened['dtype.f16'].dtype).toBe('F32');
  });

  it('with select, returns only those keys and reads only their tensor data', () => {
    let bytesRead = 0;
    const source: ByteSource = {
      size: checkpointBytes.length,
      read: (offset, length) => {
        bytesRead += length;
        return checkpointBytes.subarray(offset, offset + length);
      },
    };
    const checkpoint = readTorchCheckpoint(source, { select: ['model_ema1'] });
    expect(Object.keys(checkpoint)).toEqual(['model_ema1']);
    expectMatchesFixture(checkpoint, 'model_ema1');
    const selectedBytes = [...expected].filter(([n]) => n.startsWith('model_ema1.')).reduce((sum, [, t]) => sum + t.data.byteLength, 0);
    expect(bytesRead).toBeLessThan(selectedBytes + 200_000); // + zip directory and pickle
  });

  it('names the missing key when select asks for one that is not there', () => {
    expect(() => readTorchCheckpoint(checkpointBytes, { select: ['model_ema3'] })).toThrow(
      /no top-level key "model_ema3" \(it has: model, optimizer, epoch, args, model_ema1, model_ema2\)/,
    );
  });

  it.each([
    ['another top folder name', { top: 'archive' }],
    ['deflated storages', { top: 'x', deflate: true }],
    ['zip64 records', { top: 'big-run.ep599', zip64: true }],
  ])('reads the same tensors from an archive with %s', (_, options) => {
    expectMatchesFixture(readTorchCheckpoint(repack(options)));
  });

  it('refuses malicious.pth (os.system via REDUCE) with a FormatError naming the global', () => {
    const malicious = readFileSync(join(dir, 'malicious.pth'));
    expect(() => readTorchCheckpoint(malicious)).toThrow(FormatError);
    expect(() => readTorchCheckpoint(malicious)).toThrow(/(posix|nt)\.system/);
  });

  it('explains that pre-1.6 checkpoints must be re-saved', () => {
    const legacyPickle = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
    expect(() => readTorchCheckpoint(legacyPickle)).toThrow(/unsupported legacy format, re-save with torch >= 1.6 \(torch.save\(obj, path\)\)/);
    const legacyTar = new Uint8Array(1024);
    legacyTar.set(new TextEncoder().encode('ustar'), 257);
    expect(() => readTorchCheckpoint(legacyTar)).toThrow(/unsupported legacy format/);
  });

  it('says a zip without <top>/data.pkl is not a checkpoint', () => {
    const zip = buildZip([{ name: 'weights/model.bin', data: new Uint8Array(4) }]);
    expect(() => readTorchCheckpoint(zip)).toThrow(/no <top>\/data.pkl/);
  });
});

describe('flattenTensors', () => {
  it('joins object keys, Map keys and array indices with dots under a prefix', () => {
    const t: RawTensor = { dtype: 'F32', shape: [1], data: new Float32Array([1]) };
    const tree = { a: { b: t }, m: new Map<unknown, unknown>([[0, { w: t }]]), l: [t, 'not a tensor'] };
    expect([...flattenTensors(tree, 'root').keys()]).toEqual(['root.a.b', 'root.m.0.w', 'root.l.0']);
  });

  it('terminates on cyclic trees', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(flattenTensors(cyclic).size).toBe(0);
  });
});
