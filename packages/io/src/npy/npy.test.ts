import { describe, expect, it } from 'vitest';
import type { RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { hex } from '../test-support/bytes.js';
import { buildZip } from '../test-support/zip-builder.js';
import { readNpz, writeNpz } from './npz.js';
import { readNpy } from './read.js';
import { writeNpy } from './write.js';

// Files written by numpy 2 (np.save / np.lib.format.write_array).
const NUMPY = {
  /** np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)) */
  fortranF32:
    '934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a20547275652c20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a00000000000040400000803f00008040000000400000a040',
  /** np.array([[1, -2], [3, 4]], dtype='<i8'), format version 2.0 */
  version2I64:
    '934e554d50590200740000007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2032292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0100000000000000feffffffffffffff03000000000000000400000000000000',
  /** np.array([True, False, True]), format version 3.0 */
  version3Bool:
    '934e554d50590300740000007b276465736372273a20277c6231272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a010001',
  /** np.array([1.5, -2.25], dtype='>f8') */
  bigEndianF64:
    '934e554d5059010076007b276465736372273a20273e6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a3ff8000000000000c002000000000000',
  /** np.array(3.25) */
  scalarF64:
    '934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000000000000a40',
  /** np.array([1, 2, 3], dtype='<f4') */
  vectorF32:
    '934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000803f0000004000004040',
};

const mu: RawTensor = { dtype: 'F32', shape: [4], data: new Float32Array([0.5, -1, 2, 3.25]) };
const sigma: RawTensor = { dtype: 'F64', shape: [2, 2], data: new Float64Array([1, 0.25, 0.25, 2]) };

describe('readNpy', () => {
  it('transposes Fortran-order arrays into C order', () => {
    expect(readNpy(hex(NUMPY.fortranF32))).toEqual({ dtype: 'F32', shape: [2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) });
  });

  it('reads format versions 2 and 3, int64 and bool', () => {
    expect(readNpy(hex(NUMPY.version2I64))).toEqual({ dtype: 'I64', shape: [2, 2], data: new BigInt64Array([1n, -2n, 3n, 4n]) });
    expect(readNpy(hex(NUMPY.version3Bool))).toEqual({ dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) });
  });

  it("byte-swaps big-endian data (without touching the caller's bytes) and reads 0-d arrays", () => {
    const pooled = Buffer.from(hex(NUMPY.bigEndianF64));
    const before = Buffer.from(pooled);
    expect(readNpy(pooled).data).toEqual(new Float64Array([1.5, -2.25]));
    expect(pooled.equals(before)).toBe(true);
    expect(readNpy(hex(NUMPY.scalarF64))).toEqual({ dtype: 'F64', shape: [], data: new Float64Array([3.25]) });
  });

  it.each([
    ['a missing magic string', new Uint8Array(20), /not an .npy file/],
    ['an unsupported version', hex(NUMPY.vectorF32.replace('5059010076', '5059090076')), /version 9.0/],
    ['an unsupported dtype', hex(NUMPY.vectorF32.replace('3c6634', '3c6334')), /dtype '<c4' is not supported/],
    ['a header past the end', hex(NUMPY.vectorF32).subarray(0, 60), /runs past the end/],
    ['missing data', hex(NUMPY.vectorF32).subarray(0, 130), /needs 12 data bytes, the file has 2/],
    ['a broken header', hex(NUMPY.vectorF32.replace('7b2764', '7b2864')), /header/],
  ])('refuses %s with a FormatError', (_, bytes, message) => {
    expect(() => readNpy(bytes)).toThrow(FormatError);
    expect(() => readNpy(bytes)).toThrow(message);
  });
});

describe('writeNpy', () => {
  it('writes what numpy writes, byte for byte', () => {
    expect(writeNpy({ dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) })).toEqual(hex(NUMPY.vectorF32));
    expect(writeNpy({ dtype: 'F64', shape: [], data: new Float64Array([3.25]) })).toEqual(hex(NUMPY.scalarF64));
  });

  it('refuses BF16, which numpy cannot hold', () => {
    expect(() => writeNpy({ dtype: 'BF16', shape: [1], data: new Uint16Array(1) })).toThrow(/no numpy equivalent/);
  });
});

describe('npz', () => {
  it('round-trips FID-style statistics (mu float32, sigma float64)', () => {
    expect(readNpz(writeNpz({ mu, sigma }))).toEqual(
      new Map([
        ['mu', mu],
        ['sigma', sigma],
      ]),
    );
  });

  it('reads compressed archives (numpy.savez_compressed)', () => {
    const archive = buildZip(
      [
        { name: 'mu.npy', data: writeNpy(mu) },
        { name: 'sigma.npy', data: writeNpy(sigma) },
      ],
      { deflate: true },
    );
    expect(readNpz(archive)).toEqual(
      new Map([
        ['mu', mu],
        ['sigma', sigma],
      ]),
    );
  });

  it('names the entry that is broken', () => {
    const archive = writeNpz({ mu, bad: sigma }).slice();
    const at = Buffer.from(archive).indexOf('bad.npy') + 7; // start of that entry's data
    archive[at] = 0;
    expect(() => readNpz(archive)).toThrow(/magic string.*npz entry "bad\.npy"/);
    const data = at + 140; // past the 128-byte header, inside the array's data: only the CRC notices
    archive[at] = 0x93;
    archive[data] ^= 0xff;
    expect(() => readNpz(archive)).toThrow(/CRC-32.*bad\.npy/);
  });
});
