/**
 * An IDX array (the format of MNIST and Fashion-MNIST, http://yann.lecun.com/exdb/mnist/):
 * a 4-byte magic `0x00 0x00 <type> <rank>`, `rank` big-endian uint32 dimensions, then the
 * values in row-major order. Only unsigned bytes (type 0x08) occur in these datasets.
 */
export interface IdxArray {
  shape: number[];
  /** Row-major values; a view into the parsed bytes. */
  data: Uint8Array;
}

/** A file that is not a well-formed IDX array of unsigned bytes. */
export class IdxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxFormatError';
  }
}

const unsignedByte = 0x08;
const typeNames: Record<number, string> = { 0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/**
 * Parses an uncompressed IDX array of unsigned bytes (decompress `.gz` files first). `what`
 * names the file in errors.
 *
 * ```ts
 * const labels = parseIdx(gunzipSync(readFileSync('t10k-labels-idx1-ubyte.gz')), 't10k labels');
 * labels.shape; // [10000]
 * ```
 */
export function parseIdx(bytes: Uint8Array, what = 'IDX file'): IdxArray {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new IdxFormatError(`${what} is still gzip-compressed: decompress it before parsing`);
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(`${what} is not an IDX file: expected the magic bytes 00 00 <type> <rank>, found ${hex(bytes.subarray(0, 4))}`);
  }
  const type = bytes[2];
  const rank = bytes[3];
  if (type !== unsignedByte) {
    throw new IdxFormatError(`${what} holds ${typeNames[type] ?? `type 0x${type.toString(16)}`} values; only unsigned bytes (type 0x08) are supported`);
  }
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerBytes) {
    throw new IdxFormatError(`${what} is truncated or damaged: its header announces ${rank} dimensions but the file has ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerBytes;
  if (found !== count) {
    throw new IdxFormatError(
      `${what} is ${found < count ? 'truncated' : 'damaged'}: its header announces shape [${shape.join(', ')}] (${count} bytes of data) but ${found} bytes follow the header`,
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/** Builds an IDX array of unsigned bytes (for tests and for writing subsets). */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new Error(`encodeIdx: shape [${shape.join(', ')}] needs ${count} values, found ${data.length}`);
  const out = new Uint8Array(4 + 4 * shape.length + count);
  out[2] = unsignedByte;
  out[3] = shape.length;
  const view = new DataView(out.buffer);
  shape.forEach((size, i) => view.setUint32(4 + 4 * i, size, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

function hex(bytes: Uint8Array): string {
  return bytes.length === 0 ? 'an empty file' : Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
