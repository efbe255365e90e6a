import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DType, RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { fixtureDir } from '../test-support/fixtures.js';
import { itWithFixtures } from '../test-support/fixture-suite.js';
import { readSafetensors } from './read.js';
import { writeSafetensors } from './write.js';

const allDtypes: Record<string, RawTensor> = {
  f64: { dtype: 'F64', shape: [2], data: new Float64Array([1.5, -2]) },
  f32: { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
  f16: { dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xc000]) }, // 1, -2
  bf16: { dtype: 'BF16', shape: [2], data: new Uint16Array([0x3f80, 0xc040]) }, // 1, -3
  i64: { dtype: 'I64', shape: [2], data: new BigInt64Array([-1n, 2n ** 40n]) },
  i32: { dtype: 'I32', shape: [1], data: new Int32Array([-7]) },
  i16: { dtype: 'I16', shape: [1], data: new Int16Array([-300]) },
  i8: { dtype: 'I8', shape: [1], data: new Int8Array([-8]) },
  u8: { dtype: 'U8', shape: [3], data: new Uint8Array([0, 128, 255]) },
  bool: { dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) },
  scalar: { dtype: 'F32', shape: [], data: new Float32Array([3.5]) },
  empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
};

/** Builds a file from a header object and a data section. */
function file(header: unknown, data = new Uint8Array(0), rawHeader?: string): Uint8Array {
  const json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips every dtype, 0-d and empty tensors, and metadata', () => {
    const bytes = writeSafetensors(allDtypes, { format: 'pt' });
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.fromEntries(tensors)).toEqual(allDtypes);
  });

  it('reads from a Node Buffer that is a view into a shared pool', () => {
    const pooled = Buffer.from(writeSafetensors(allDtypes)); // small Buffers share one pool at an offset
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    expect(Object.fromEntries(readSafetensors(pooled).tensors)).toEqual(allDtypes);
  });

  it('widens F16 and BF16 to F32 on request', () => {
    const { tensors } = readSafetensors(writeSafetensors(allDtypes), { widenHalf: true });
    expect(tensors.get('f16')).toEqual({ dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) });
    expect(tensors.get('bf16')).toEqual({ dtype: 'F32', shape: [2], data: new Float32Array([1, -3]) });
  });

  it('writes deterministically: space-padded 8-byte-aligned header, 8-byte dtypes first, then by name', () => {
    const bytes = writeSafetensors(new Map(Object.entries(allDtypes).reverse()));
    expect(writeSafetensors(allDtypes)).toEqual(bytes);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    expect(header).toMatch(/} *$/);
    expect(Object.keys(JSON.parse(header))).toEqual(['i64', 'f64', 'empty', 'f32', 'scalar', 'i32', 'bf16', 'f16', 'i16', 'i8', 'u8', 'bool']);
  });

  itWithFixtures('round-trips a reference file and starts every tensor at an aligned offset', ['jit-forward'], () => {
    const reference = readSafetensors(readFileSync(join(fixtureDir('jit-forward'), 'inputs.safetensors')));
    const bytes = writeSafetensors(reference.tensors, reference.metadata);
    expect(readSafetensors(bytes)).toEqual(reference);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const { __metadata__: _, ...header } = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    for (const {
      dtype,
      data_offsets: [begin],
    } of Object.values(header) as Array<{ dtype: string; data_offsets: number[] }>) {
      expect(begin % (dtype === 'I32' || dtype === 'F32' ? 4 : 1)).toBe(0);
    }
  });

  it('refuses tensors whose data does not match their dtype or shape', () => {
    const mismatch = { dtype: 'F32' as DType, shape: [3], data: new Float32Array(2) };
    expect(() => writeSafetensors({ x: mismatch })).toThrow(/needs 3 values, data has 2/);
    expect(() => writeSafetensors({ x: { dtype: 'F64', shape: [1], data: new Float32Array(1) } })).toThrow(/does not hold F64/);
  });

  it.each([
    ['a file shorter than the length prefix', new Uint8Array(4), /shorter than the 8-byte header length/],
    ['a header length past the end', file({}).fill(0xff, 0, 8), /runs past the end/],
    ['broken JSON', file(null, undefined, '{"x": '), /not valid UTF-8 JSON/],
    ['a header that is not an object', file([1, 2]), /not a JSON object/],
    ['an unknown dtype', file({ x: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), /unknown dtype "C64".*tensor "x"/],
    ['offsets past the data', file({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8)), /outside the 8-byte data section/],
    [
      'a shape that disagrees with the offsets',
      file({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /needs 12 bytes, data_offsets give 8/,
    ],
    [
      'overlapping tensors',
      file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)),
      /overlaps/,
    ],
    ['non-string metadata', file({ __metadata__: { epoch: 3 } }), /__metadata__.epoch is not a string/],
  ])('refuses %s with a FormatError that says what is wrong', (_, bytes, message) => {
    expect(() => readSafetensors(bytes)).toThrow(FormatError);
    expect(() => readSafetensors(bytes)).toThrow(message);
  });
});
