import { bytesOf, elementCount, isDType, typedArrayMatches, type RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';

const FORMAT = 'safetensors';
/**
 * Layout order of the reference writer (huggingface/safetensors sorts by its Dtype enum,
 * descending, then by name): 8-byte types first, so every tensor's data stays aligned.
 */
const LAYOUT_RANK: Record<RawTensor['dtype'], number> = {
  I64: 0,
  F64: 1,
  F32: 2,
  I32: 3,
  BF16: 4,
  F16: 5,
  I16: 6,
  I8: 7,
  U8: 8,
  BOOL: 9,
};

/**
 * Serialises tensors as safetensors. Deterministic, laid out as the reference writer does:
 * `__metadata__` first, tensors by dtype (8-byte types first) then name, and the JSON
 * header padded with spaces to a multiple of 8 bytes.
 * Data is written in the platform's byte order, which is little-endian everywhere JS runs.
 *
 * @example
 * const bytes = writeSafetensors({ 'pos_embed': { dtype: 'F32', shape: [1, 256, 768], data } }, { format: 'pt' });
 */
export function writeSafetensors(tensors: Map<string, RawTensor> | Record<string, RawTensor>, metadata?: Record<string, string>): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))];
  for (const [name, tensor] of entries) validate(name, tensor);
  entries.sort(([nameA, a], [nameB, b]) => LAYOUT_RANK[a.dtype] - LAYOUT_RANK[b.dtype] || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new FormatError(FORMAT, `metadata value of "${key}" is not a string`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, tensor] of entries) {
    const end = offset + tensor.data.byteLength;
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, tensor] of entries) {
    out.set(bytesOf(tensor.data), at);
    at += tensor.data.byteLength;
  }
  return out;
}

function validate(name: string, tensor: RawTensor): void {
  const where = `tensor "${name}"`;
  if (name === '__metadata__') throw new FormatError(FORMAT, '"__metadata__" is reserved and cannot name a tensor', where);
  if (!isDType(tensor.dtype)) throw new FormatError(FORMAT, `unknown dtype ${JSON.stringify(tensor.dtype)}`, where);
  if (!Array.isArray(tensor.shape) || !tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new FormatError(FORMAT, `shape ${JSON.stringify(tensor.shape)} is not a list of non-negative integers`, where);
  }
  if (!typedArrayMatches(tensor.dtype, tensor.data)) {
    throw new FormatError(FORMAT, `data is a ${tensor.data?.constructor?.name}, which does not hold ${tensor.dtype}`, where);
  }
  const count = elementCount(tensor.shape);
  if (tensor.data.length !== count) {
    throw new FormatError(FORMAT, `shape [${tensor.shape.join(', ')}] needs ${count} values, data has ${tensor.data.length}`, where);
  }
}
