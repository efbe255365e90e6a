import { FormatError } from '../errors.js';
import { dtypeBytes, isDType, typedArrayFrom, widenHalf, type RawTensor } from '../dtypes.js';

export interface SafetensorsFile {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

export interface ReadSafetensorsOptions {
  /** Widen F16 and BF16 tensors to F32 (exact). Default false: keep the 16-bit patterns. */
  widenHalf?: boolean;
}

const FORMAT = 'safetensors';
/** A header larger than this is refused (the reference implementation's limit is 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Parses a safetensors file from its bytes: an 8-byte little-endian header length, a JSON
 * header `{name: {dtype, shape, data_offsets}, __metadata__}`, then the raw data.
 */
export function readSafetensors(bytes: Uint8Array, options: ReadSafetensorsOptions = {}): SafetensorsFile {
  if (bytes.length < 8) throw new FormatError(FORMAT, `file is ${bytes.length} bytes, shorter than the 8-byte header length`, 'byte 0');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw new FormatError(FORMAT, `header length ${headerLength} runs past the end of the ${bytes.length}-byte file`, 'byte 0');
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (error) {
    throw new FormatError(FORMAT, `header is not valid UTF-8 JSON: ${(error as Error).message}`, `bytes 8..${dataStart}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new FormatError(FORMAT, 'header is not a JSON object', 'header');
  }
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  const ranges: Array<[number, number, string]> = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry);
      continue;
    }
    const where = `tensor "${name}"`;
    if (entry === null || typeof entry !== 'object') throw new FormatError(FORMAT, 'entry is not an object', where);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !isDType(dtype)) throw new FormatError(FORMAT, `unknown dtype ${JSON.stringify(dtype)}`, where);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new FormatError(FORMAT, `shape ${JSON.stringify(shape)} is not a list of non-negative integers`, where);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new FormatError(FORMAT, `data_offsets ${JSON.stringify(offsets)} is not [begin, end]`, where);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      throw new FormatError(FORMAT, `data_offsets [${begin}, ${end}] fall outside the ${dataLength}-byte data section`, where);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * dtypeBytes[dtype] !== end - begin) {
      throw new FormatError(FORMAT, `shape [${shape.join(', ')}] of ${dtype} needs ${count * dtypeBytes[dtype]} bytes, data_offsets give ${end - begin}`, where);
    }
    ranges.push([begin, end, name]);
    let tensor: RawTensor = { dtype, shape: [...(shape as number[])], data: typedArrayFrom(dtype, bytes, dataStart + begin, count) };
    if (options.widenHalf) tensor = widenHalf(tensor);
    tensors.set(name, tensor);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) {
      throw new FormatError(FORMAT, `data of "${ranges[i][2]}" overlaps "${ranges[i - 1][2]}"`, `data offset ${ranges[i][0]}`);
    }
  }
  return { tensors, metadata };
}

function parseMetadata(entry: unknown): Record<string, string> {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new FormatError(FORMAT, '__metadata__ is not an object of strings', 'header');
  }
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== 'string') throw new FormatError(FORMAT, `__metadata__.${key} is not a string`, 'header');
  }
  return { ...(entry as Record<string, string>) };
}
