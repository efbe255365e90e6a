import { readRange, readRangeInto, toByteSource, type ByteSource } from '../byte-source.js';
import { describeValue } from '../describe-value.js';
import { FormatError } from '../errors.js';
import { allocateTypedArray, bytesOf, dtypeBytes, elementCount, isDType, widenHalf, type RawTensor } from '../dtypes.js';
import { checkMaxBytes, maxBytesOf, MAX_NESTING, type ReadLimits } from '../limits.js';

export interface SafetensorsFile {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

export interface ReadSafetensorsOptions extends ReadLimits {
  /** Widen F16 and BF16 tensors to F32 (exact). Default false: keep the 16-bit patterns. */
  widenHalf?: boolean;
}

const FORMAT = 'safetensors';
/** A header larger than this is refused (the reference implementation's limit is 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Parses a safetensors file: an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets}, __metadata__}`, then the raw little-endian data.
 * Takes the bytes (browsers) or a ByteSource (`readSafetensorsFile` in `@pixelrepa/io/node`
 * reads from disk); only the header and the tensors' ranges are read, each straight into its
 * tensor's buffer. The tensors must cover the data section exactly (no holes, no overlaps,
 * nothing left over), as the format requires: a wrong header length cannot shift every tensor.
 *
 * @example
 * const { tensors, metadata } = readSafetensors(bytes, { widenHalf: true });
 * tensors.get('blocks.0.attn.qkv.weight'); // { dtype: 'F32', shape: [2304, 768], data: Float32Array }
 */
export function readSafetensors(input: Uint8Array | ByteSource, options: ReadSafetensorsOptions = {}): SafetensorsFile {
  const source = toByteSource(input);
  const { header, dataStart } = readHeader(source);
  const dataLength = source.size - dataStart;
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  const ranges: Array<[number, number, string]> = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry);
      continue;
    }
    const where = `tensor "${name}"`;
    if (entry === null || typeof entry !== 'object') throw new FormatError(FORMAT, 'entry is not an object', where);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !isDType(dtype)) {
      throw new FormatError(FORMAT, `unknown dtype ${describeValue(dtype)} (supported: ${Object.keys(dtypeBytes).join(', ')})`, where);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new FormatError(FORMAT, `shape ${describeValue(shape)} is not a list of non-negative integers`, where);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new FormatError(FORMAT, `data_offsets ${describeValue(offsets)} is not [begin, end]`, where);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      throw new FormatError(FORMAT, `data_offsets [${begin}, ${end}] fall outside the ${dataLength}-byte data section`, where);
    }
    const count = elementCount(shape as number[]);
    if (count * dtypeBytes[dtype] !== end - begin) {
      throw new FormatError(
        FORMAT,
        `shape ${describeValue(shape)} of ${dtype} needs ${count * dtypeBytes[dtype]} bytes, data_offsets give ${end - begin}`,
        where,
      );
    }
    ranges.push([begin, end, name]);
  }
  checkCoverage(ranges, dataLength);
  checkMaxBytes(dataLength, maxBytesOf(options), FORMAT, 'tensor data', `bytes ${dataStart}..${source.size}`);
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const {
      dtype,
      shape,
      data_offsets: [begin],
    } = entry as { dtype: RawTensor['dtype']; shape: number[]; data_offsets: [number, number] };
    const data = allocateTypedArray(dtype, elementCount(shape));
    readRangeInto(source, dataStart + begin, bytesOf(data), FORMAT, `data of tensor "${name}"`);
    let tensor: RawTensor = { dtype, shape: [...shape], data };
    if (options.widenHalf) tensor = widenHalf(tensor);
    tensors.set(name, tensor);
  }
  return { tensors, metadata };
}

/**
 * The `__metadata__` of a safetensors file, reading only its header (with the same checks as
 * `readSafetensors`): a training checkpoint's config without reading gigabytes of tensors.
 *
 * @example
 * const { pixelrepa } = readSafetensorsMetadata(openFileSource('checkpoint-300.safetensors'));
 */
export function readSafetensorsMetadata(input: Uint8Array | ByteSource): Record<string, string> {
  const { header } = readHeader(toByteSource(input));
  return header.__metadata__ === undefined ? {} : parseMetadata(header.__metadata__);
}

/** The header's length (checked against the file and the limit) and its parsed JSON. */
function readHeader(source: ByteSource): { header: Record<string, unknown>; dataStart: number } {
  if (source.size < 8) throw new FormatError(FORMAT, `file is ${source.size} bytes, shorter than the 8-byte header length`, 'byte 0');
  const lengthBytes = readRange(source, 0, 8, FORMAT, 'header length');
  const headerLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, source.size - 8))) {
    throw new FormatError(FORMAT, `header length ${headerLength} runs past the end of the ${source.size}-byte file (or exceeds ${MAX_HEADER_BYTES})`, 'byte 0');
  }
  const dataStart = 8 + Number(headerLength);
  return { header: parseHeader(readRange(source, 8, dataStart - 8, FORMAT, 'header'), dataStart), dataStart };
}

/**
 * The tensors' byte ranges must tile [0, dataLength) exactly, as the format requires. Checked
 * before any data is read, so a hostile header cannot make us copy the same bytes many times,
 * and a header length a few bytes off (every tensor read shifted) is caught.
 */
function checkCoverage(ranges: Array<[number, number, string]>, dataLength: number): void {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let covered = 0;
  for (const [begin, end, name] of ranges) {
    if (begin < covered)
      throw new FormatError(
        FORMAT,
        `data of "${name}" (bytes ${begin}..${end}) overlaps the tensor before it, which ends at ${covered}`,
        `data offset ${begin}`,
      );
    if (begin > covered)
      throw new FormatError(FORMAT, `bytes ${covered}..${begin} of the data section belong to no tensor (a hole before "${name}")`, `data offset ${covered}`);
    covered = end;
  }
  if (covered !== dataLength) {
    throw new FormatError(
      FORMAT,
      `the tensors cover ${covered} bytes but the data section holds ${dataLength}: the header length or the offsets are wrong (truncated or padded file?)`,
      `data offset ${covered}`,
    );
  }
}

function parseHeader(bytes: Uint8Array, dataStart: number): Record<string, unknown> {
  if (nestsDeeperThan(bytes, MAX_NESTING)) throw new FormatError(FORMAT, `header JSON nests more than ${MAX_NESTING} levels deep`, `bytes 8..${dataStart}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new FormatError(FORMAT, `header is not valid UTF-8 JSON: ${(error as Error).message}`, `bytes 8..${dataStart}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new FormatError(FORMAT, 'header is not a JSON object', `bytes 8..${dataStart}`);
  }
  return header as Record<string, unknown>;
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

/**
 * Whether JSON text nests arrays and objects more than `limit` deep, found in one pass without
 * parsing, so JSON.parse never sees input that could overflow its stack.
 */
function nestsDeeperThan(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > limit) return true;
    } else if (byte === 0x5d || byte === 0x7d) {
      depth--;
    }
  }
  return false;
}
