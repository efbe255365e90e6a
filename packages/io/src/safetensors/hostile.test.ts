// Hostile safetensors headers, each made here by a small generator: deep nesting, offsets that
// leave holes, overlap or leftovers, a header length a few bytes short, and maxBytes.
import { describe, expect, it } from 'vitest';
import { expectShortFormatError } from '../test-support/format-error.js';
import { readSafetensors } from './read.js';
import { writeSafetensors } from './write.js';

/** A safetensors file from a header object (or raw JSON text), `padding` spaces, and `data`. */
function file(header: unknown, data: Uint8Array, options: { padding?: number; declaredLength?: number } = {}): Uint8Array {
  const json = new TextEncoder().encode((typeof header === 'string' ? header : JSON.stringify(header)) + ' '.repeat(options.padding ?? 0));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(options.declaredLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (offsets: [number, number], shape = [(offsets[1] - offsets[0]) / 4]) => ({ dtype: 'F32', shape, data_offsets: offsets });

describe('readSafetensors on hostile headers', () => {
  it('refuses a header length 5 bytes short (every tensor would be read 5 bytes early)', () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    const header = { a: f32([0, 8]), b: f32([8, 16]) };
    const good = file(header, new Uint8Array(data.buffer), { padding: 6 });
    expect([...readSafetensors(good).tensors.get('b')!.data]).toEqual([3, 4]);
    const json = JSON.stringify(header).length + 6;
    const short = file(header, new Uint8Array(data.buffer), { padding: 6, declaredLength: json - 5 });
    expectShortFormatError(() => readSafetensors(short), /cover 16 bytes but the data section holds 21/);
  });

  it.each([
    ['a hole between tensors', { a: f32([0, 4]), b: f32([8, 16]) }, /bytes 4\.\.8 of the data section belong to no tensor/],
    ['overlapping tensors', { a: f32([0, 8]), b: f32([4, 12]), c: f32([12, 16]) }, /"b" \(bytes 4\.\.12\) overlaps/],
    ['bytes left over at the end', { a: f32([0, 8]) }, /cover 8 bytes but the data section holds 16/],
    ['a hole at the start', { a: f32([4, 16]) }, /bytes 0\.\.4 .* belong to no tensor/],
  ])('refuses %s', (_, header, message) => {
    expectShortFormatError(() => readSafetensors(file(header, new Uint8Array(16))), message);
  });

  it('accepts empty tensors anywhere in the tiling', () => {
    const header = { a: f32([0, 0], [0]), b: f32([0, 8]), c: f32([8, 8], [2, 0]) };
    expect(readSafetensors(file(header, new Uint8Array(8))).tensors.size).toBe(3);
  });

  it.each([
    ['a shape nested 100 000 deep', `{"a":{"dtype":"F32","shape":${'['.repeat(100_000)}${']'.repeat(100_000)},"data_offsets":[0,0]}}`],
    ['metadata nested 100 000 deep', `{"__metadata__":${'{"x":'.repeat(100_000)}1${'}'.repeat(100_000)}}`],
    ['an unterminated nest of 1 000 000 brackets', `{"a":${'['.repeat(1_000_000)}`],
  ])('refuses %s with a FormatError, not a stack overflow', (_, header) => {
    expectShortFormatError(() => readSafetensors(file(header, new Uint8Array(0))), /nests more than 256 levels/);
  });

  it('still reads brackets inside strings and names (nesting counts JSON structure only)', () => {
    const name = `weird[[[{{{"name\\"${'['.repeat(1000)}`;
    const bytes = file(`{${JSON.stringify(name)}:${JSON.stringify(f32([0, 4]))}}`, new Uint8Array(4));
    expect([...readSafetensors(bytes).tensors.keys()]).toEqual([name]);
  });

  it('prints a hostile shape briefly in its error', () => {
    const shape = Array.from({ length: 100_000 }, () => [1, [2, [3]]]);
    expectShortFormatError(() => readSafetensors(file({ a: { dtype: 'F32', shape, data_offsets: [0, 0] } }, new Uint8Array(0))), /shape \[\[1, \[2, \[…/);
  });

  it('refuses data larger than maxBytes before reading it, and reads it under a larger maxBytes', () => {
    const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [256], data: new Float32Array(256) } });
    expectShortFormatError(() => readSafetensors(bytes, { maxBytes: 1000 }), /tensor data would take 1024 bytes, more than maxBytes \(1000\)/);
    expect(readSafetensors(bytes, { maxBytes: 1024 }).tensors.get('w')!.data.length).toBe(256);
  });
});
