import { copyBytes } from '../byte-source.js';
import { describeValue } from '../describe-value.js';
import { dtypeBytes, elementCount, typedArrayFrom, type RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { gatherStrided } from '../strided.js';
import { dtypeFromDescr, SUPPORTED_DESCRS } from './descr.js';
import { parsePythonLiteral } from './header-literal.js';

const FORMAT = 'npy';
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Reads an .npy array (format versions 1, 2 and 3) into a C-order RawTensor. Fortran-order
 * arrays are transposed into C order; big-endian data is byte-swapped.
 *
 * @example
 * const mu = readNpy(bytes); // { dtype: 'F32', shape: [2048], data: Float32Array }
 */
export function readNpy(bytes: Uint8Array, where = 'npy file'): RawTensor {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new FormatError(FORMAT, 'missing the \\x93NUMPY magic string: not an .npy file', `${where}, byte 0`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new FormatError(FORMAT, 'file ends inside the header length', `${where}, byte 8`);
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new FormatError(FORMAT, `format version ${major}.${bytes[7]} is not supported (1, 2 and 3 are)`, `${where}, byte 6`);
  }
  if (headerStart + headerLength > bytes.length) {
    throw new FormatError(FORMAT, `header of ${headerLength} bytes runs past the end of the ${bytes.length}-byte file`, `${where}, byte 8`);
  }
  const headerBytes = bytes.subarray(headerStart, headerStart + headerLength);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const { dtype, bigEndian, fortranOrder, shape } = parseHeader(headerText, where);
  const dataStart = headerStart + headerLength;
  const count = elementCount(shape);
  const size = dtypeBytes[dtype];
  if (count * size > bytes.length - dataStart) {
    throw new FormatError(FORMAT, `shape [${shape.join(', ')}] of ${dtype} needs ${count * size} data bytes, the file has ${bytes.length - dataStart}`, `${where}, byte ${dataStart}`);
  }
  const raw = copyBytes(bytes, dataStart, dataStart + count * size); // swapped in place below: never the caller's bytes
  if (bigEndian) swapBytes(raw, size);
  let data = typedArrayFrom(dtype, raw, 0, count);
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
