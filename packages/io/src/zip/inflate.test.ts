import { deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../errors.js';
import { seededRandom } from '../test-support/bytes.js';
import { DeflateReader, inflateRaw } from './inflate.js';

function sample(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  // Half text-like (compresses with back-references), half noise (literals).
  return Uint8Array.from({ length }, (_, i) => (i % 1000 < 500 ? 97 + ((i * 7) % 13) : Math.floor(random() * 256)));
}

describe('inflateRaw', () => {
  it.each([
    ['stored blocks (level 0)', 0],
    ['fixed and dynamic Huffman blocks (level 1)', 1],
    ['dynamic Huffman blocks (level 9)', 9],
  ])('round-trips zlib output with %s', (_, level) => {
    for (const length of [0, 1, 100, 70_000]) {
      const data = sample(length, length + level);
      const compressed = new Uint8Array(deflateRawSync(data, { level }));
      expect(inflateRaw(compressed, data.length, 'test', 'entry')).toEqual(data);
    }
  });

  it('decodes fixed-Huffman streams and long run-length back-references', () => {
    const data = new Uint8Array(100_000).fill(7);
    const compressed = new Uint8Array(deflateRawSync(data, { strategy: constants.Z_FIXED }));
    expect(inflateRaw(compressed, data.length, 'test', 'entry')).toEqual(data);
  });

  it('refuses output beyond the declared size instead of allocating it', () => {
    const compressed = new Uint8Array(deflateRawSync(new Uint8Array(1_000_000)));
    expect(() => inflateRaw(compressed, 1000, 'test', 'entry')).toThrow(/more than the 1000 bytes/);
  });

  it('refuses a declared size the stream does not reach', () => {
    const compressed = new Uint8Array(deflateRawSync(new Uint8Array(10)));
    expect(() => inflateRaw(compressed, 1000, 'test', 'entry')).toThrow(/ends after 10 bytes/);
  });

  it('refuses a declared size beyond what DEFLATE can encode in the compressed bytes, before allocating', () => {
    const compressed = new Uint8Array(deflateRawSync(new Uint8Array(10)));
    expect(() => inflateRaw(compressed, 4_000_000_000, 'test', 'entry')).toThrow(
      /declares 4000000000 bytes from \d+ deflated bytes, more than DEFLATE can encode/,
    );
  });

  it('decodes only as far as asked: 16 bytes of a 64 MiB stream of zeros decode a few MiB at most', () => {
    const size = 64 << 20;
    const compressed = new Uint8Array(deflateRawSync(new Uint8Array(size), { level: 1 }));
    let inputRead = 0;
    const reader = new DeflateReader(
      (offset, length) => {
        inputRead += length;
        return compressed.subarray(offset, offset + length);
      },
      compressed.length,
      size,
      'test',
      'entry',
    );
    const head = new Uint8Array(16).fill(1);
    reader.readInto(head);
    expect([...head]).toEqual(new Array(16).fill(0));
    expect(reader.decodedBytes).toBeLessThan(8 << 20);
    expect(inputRead).toBeLessThan(compressed.length / 8);
  });

  it('streams a large entry in steps that stay small whatever the compression ratio', () => {
    const size = 32 << 20;
    const compressed = new Uint8Array(deflateRawSync(new Uint8Array(size).fill(3), { level: 1 }));
    const steps: number[] = [];
    let last = 0;
    const reader = new DeflateReader((offset, length) => compressed.subarray(offset, offset + length), compressed.length, size, 'test', 'entry');
    const out = new Uint8Array(1 << 20);
    for (let done = 0; done < size; done += out.length) {
      reader.readInto(out);
      steps.push(reader.decodedBytes - last);
      last = reader.decodedBytes;
    }
    reader.finish();
    expect(out.every((v) => v === 3)).toBe(true);
    expect(Math.max(...steps)).toBeLessThan(24 << 20);
  });

  it('reports truncated streams as FormatError at every cut', () => {
    const data = sample(5000, 3);
    const compressed = new Uint8Array(deflateRawSync(data));
    for (let cut = 0; cut < compressed.length; cut += 7) {
      expect(() => inflateRaw(compressed.subarray(0, cut), data.length, 'test', 'entry')).toThrow(FormatError);
    }
  });
});
