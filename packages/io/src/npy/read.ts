import { describeValue } from '../describe-value.js';
import { allocateTypedArray, bytesOf, dtypeBytes, elementCount, type RawTensor } from '../dtypes.js';
import { checkMaxBytes, maxBytesOf, type ReadLimits } from '../limits.js';
import { FormatError } from '../errors.js';
import { gatherStrided } from '../strided.js';
import { dtypeFromDescr, SUPPORTED_DESCRS } from './descr.js';
import { parsePythonLiteral } from './header-literal.js';

const FORMAT = 'npy';
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes read front to back: an .npy in memory, or a zip entry being inflated (`ZipEntryReader`). */
export interface SequentialBytes {
  readonly remaining: number;
  /** The next `length` bytes (callers check `remaining` first). */
  read(length: number): Uint8Array;
  /** Fills `target` with the next bytes: an array's data goes straight into its own buffer. */
  readInto(target: Uint8Array): void;
}

/** A SequentialBytes over bytes in memory (reads are views). */
function inMemory(bytes: Uint8Array): SequentialBytes {
  let at = 0;
  return {
    get remaining() {
      return bytes.length - at;
    },
    read(length) {
      at += length;
      return bytes.subarray(at - length, at);
    },
    readInto(target) {
      target.set(bytes.subarray(at, at + target.length));
      at += target.length;
    },
  };
}

/**
 * Reads an .npy array (format versions 1, 2 and 3) into a C-order RawTensor. Fortran-order
 * arrays are transposed into C order; big-endian data is byte-swapped. The data is copied once,
 * into the returned array; `maxBytes` (default 64 GiB) refuses larger arrays before allocating.
 *
 * @example
 * const mu = readNpy(bytes); // { dtype: 'F32', shape: [2048], data: Float32Array }
 */
export function readNpy(bytes: Uint8Array, where = 'npy file', options: ReadLimits = {}): RawTensor {
  return readNpyFrom(inMemory(bytes), where, maxBytesOf(options));
}

/** readNpy over any front-to-back reader (an .npz entry is read this way, never inflated whole). */
export function readNpyFrom(input: SequentialBytes, where: string, maxBytes: number): RawTensor {
  const fileSize = input.remaining;
  if (fileSize < 10) throw new FormatError(FORMAT, 'missing the \\x93NUMPY magic string: not an .npy file', `${where}, byte 0`);
  const prefix = input.read(8);
  if (!MAGIC.every((b, i) => prefix[i] === b)) {
    throw new FormatError(FORMAT, 'missing the \\x93NUMPY magic string: not an .npy file', `${where}, byte 0`);
  }
  const major = prefix[6];
  if (major !== 1 && major !== 2 && major !== 3) {
    throw new FormatError(FORMAT, `format version ${major}.${prefix[7]} is not supported (1, 2 and 3 are)`, `${where}, byte 6`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  if (input.remaining < lengthBytes) throw new FormatError(FORMAT, 'file ends inside the header length', `${where}, byte 8`);
  const lengthField = input.read(lengthBytes);
  const view = new DataView(lengthField.buffer, lengthField.byteOffset, lengthBytes);
  const headerLength = major === 1 ? view.getUint16(0, true) : view.getUint32(0, true);
  if (headerLength > input.remaining) {
    throw new FormatError(FORMAT, `header of ${headerLength} bytes runs past the end of the ${fileSize}-byte file`, `${where}, byte 8`);
  }
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(input.read(headerLength));
  const { dtype, bigEndian, fortranOrder, shape } = parseHeader(headerText, where);
  const dataStart = fileSize - input.remaining;
  const count = elementCount(shape);
  const size = dtypeBytes[dtype];
  if (count * size > input.remaining) {
    throw new FormatError(
      FORMAT,
      `shape ${describeValue(shape)} of ${dtype} needs ${count * size} data bytes, the file has ${input.remaining}`,
      `${where}, byte ${dataStart}`,
    );
  }
  checkMaxBytes(count * size, maxBytes, FORMAT, `array ${describeValue(shape)} of ${dtype}`, `${where}, byte ${dataStart}`);
  let data = allocateTypedArray(dtype, count);
  const raw = bytesOf(data);
  input.readInto(raw); // into the array's own buffer: never the caller's bytes, so it can be swapped in place
  if (bigEndian) swapBytes(raw, size);
  if (fortranOrder && shape.length > 1) {
    // Fortran order: the first index varies fastest, so element (i0, i1, …) sits at Σ ik·Π_{j<k} dj.
    const strides: number[] = [];
    let stride = 1;
    for (const dim of shape) {
      strides.push(stride);
      stride *= dim;
    }
    data = gatherStrided(dtype, data, 0, shape, strides);
  }
  return { dtype, shape, data };
}

function parseHeader(text: string, where: string) {
  const header = parsePythonLiteral(text.trim(), where);
  if (!(header instanceof Map)) throw new FormatError(FORMAT, 'header is not a dict', where);
  const descr = header.get('descr');
  const fortranOrder = header.get('fortran_order');
  const shape = header.get('shape');
  if (typeof descr !== 'string') {
    throw new FormatError(FORMAT, `descr ${describeValue(descr)} is not a simple dtype (structured arrays are not supported)`, where);
  }
  const parsed = dtypeFromDescr(descr);
  if (!parsed) throw new FormatError(FORMAT, `dtype '${descr}' is not supported (supported kinds: ${SUPPORTED_DESCRS})`, where);
  if (typeof fortranOrder !== 'boolean') throw new FormatError(FORMAT, 'fortran_order is not True or False', where);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && d >= 0)) {
    throw new FormatError(FORMAT, `shape ${describeValue(shape)} is not a tuple of non-negative integers`, where);
  }
  return { ...parsed, fortranOrder, shape: shape as number[] };
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
