import { bytesOf, elementCount, typedArrayMatches, type RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { descrOf } from './descr.js';

/** numpy aligns the data of .npy files to 64 bytes; we do the same so files compare equal. */
const ALIGNMENT = 64;

/**
 * Writes a RawTensor as an .npy file (format 1.0, C order, little-endian).
 *
 * @example
 * const bytes = writeNpy({ dtype: 'F64', shape: [2048, 2048], data: sigma });
 */
export function writeNpy(tensor: RawTensor): Uint8Array {
  const descr = descrOf(tensor.dtype);
  if (!descr) throw new FormatError('npy', `dtype ${tensor.dtype} has no numpy equivalent; widen it to F32 first`);
  if (!typedArrayMatches(tensor.dtype, tensor.data) || tensor.data.length !== elementCount(tensor.shape)) {
    throw new FormatError(
      'npy',
      `data (${tensor.data.length} × ${tensor.data.constructor.name}) does not match ${tensor.dtype} of shape [${tensor.shape.join(', ')}]`,
    );
  }
  const shape = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT) + '\n';
  if (header.length > 0xffff) throw new FormatError('npy', `header of ${header.length} bytes is too long for format 1.0`);
  const data = bytesOf(tensor.data);
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}
