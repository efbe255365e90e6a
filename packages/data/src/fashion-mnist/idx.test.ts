import { describe, expect, it } from 'vitest';
import { encodeIdx, IdxFormatError, parseIdx } from './idx.js';

/** A hand-built IDX header + data, byte by byte, independent of encodeIdx. */
function handBuilt(type: number, shape: number[], data: number[]): Uint8Array {
  const header = [0, 0, type, shape.length, ...shape.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];
  return Uint8Array.from([...header, ...data]);
}

describe('parseIdx', () => {
  it('reads the shape (big-endian) and the row-major bytes of a hand-built file', () => {
    const data = Array.from({ length: 2 * 3 * 300 }, (_, i) => (i * 7) % 256);
    const parsed = parseIdx(handBuilt(0x08, [2, 3, 300], data));
    expect(parsed.shape).toEqual([2, 3, 300]);
    expect(Array.from(parsed.data)).toEqual(data);
  });

  it('reads a labels file (rank 1) and agrees with encodeIdx', () => {
    const labels = Uint8Array.from([9, 0, 0, 3, 0, 2, 7, 2, 5]);
    const bytes = handBuilt(0x08, [labels.length], Array.from(labels));
    expect(encodeIdx([labels.length], labels)).toEqual(bytes);
    expect(parseIdx(bytes)).toEqual({ shape: [9], data: labels });
  });

  it('rejects a truncated file, saying how many bytes were announced and found', () => {
    const bytes = handBuilt(0x08, [4, 28, 28], new Array(4 * 28 * 28).fill(1));
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 10), 'images.idx')).toThrow(
      /images\.idx is truncated.*\[4, 28, 28\] \(3136 bytes of data\) but 3126 bytes/,
    );
    expect(() => parseIdx(bytes.subarray(0, 9), 'images.idx')).toThrow(/truncated or damaged: its header announces 3 dimensions but the file has 9 bytes/);
  });

  it('rejects trailing bytes, other magic numbers, other value types and gzip bytes', () => {
    expect(() => parseIdx(Uint8Array.from([...handBuilt(0x08, [2], [1, 2]), 0]))).toThrow(IdxFormatError);
    expect(() => parseIdx(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), 'x')).toThrow(
      /x is not an IDX file: expected the magic bytes 00 00 <type> <rank>, found 89 50 4e 47/,
    );
    expect(() => parseIdx(new Uint8Array(0), 'x')).toThrow(/found an empty file/);
    expect(() => parseIdx(handBuilt(0x0d, [1], [0, 0, 0, 0]), 'x')).toThrow(/holds float32 values; only unsigned bytes/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'x')).toThrow(/still gzip-compressed/);
  });
});
