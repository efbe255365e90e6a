import { readRange, type ByteSource } from '../byte-source.js';
import { FormatError } from '../errors.js';
import type { ZipEntry } from './central-directory.js';
import { crc32 } from './crc32.js';
import { DeflateReader } from './inflate.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES } from '../limits.js';

const LOCAL_FILE_HEADER = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
export const STORED = 0;
export const DEFLATED = 8;

/**
 * Byte offset of an entry's data, from its local header. The data must end before the next
 * entry starts; the method must be one we can read.
 */
export function entryDataOffset(source: ByteSource, entry: ZipEntry, format: string): number {
  const where = `zip entry "${entry.name}"`;
  if (entry.encrypted) throw new FormatError(format, 'entry is encrypted; encrypted zips are not supported', where);
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new FormatError(format, `entry uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`, where);
  }
  if (entry.method === STORED && entry.compressedSize !== entry.uncompressedSize) {
    throw new FormatError(format, `stored entry declares ${entry.compressedSize} bytes on disk but ${entry.uncompressedSize} uncompressed`, where);
  }
  const header = readRange(source, entry.localHeaderOffset, LOCAL_HEADER_BYTES, format, `local header of ${where}`);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (view.getUint32(0, true) !== LOCAL_FILE_HEADER) {
    throw new FormatError(format, 'central directory points at something that is not a local file header', `${where}, byte ${entry.localHeaderOffset}`);
  }
  const dataStart = entry.localHeaderOffset + LOCAL_HEADER_BYTES + view.getUint16(26, true) + view.getUint16(28, true);
  if (dataStart + entry.compressedSize > entry.limit) {
    throw new FormatError(
      format,
      `entry data (bytes ${dataStart}..${dataStart + entry.compressedSize}) runs into the next entry at byte ${entry.limit}`,
      where,
    );
  }
  return dataStart;
}

/**
 * The whole uncompressed content of an entry (a pickle, a version file). Stored entries from a
 * Uint8Array source come back as views; deflated entries are inflated step by step into one
 * buffer of the declared size, after that size is checked against `maxBytes` and against what
 * DEFLATE can produce from the entry's compressed bytes. `verifyCrc` checks the CRC-32.
 */
export function readZipEntry(source: ByteSource, entry: ZipEntry, format: string, options: { verifyCrc?: boolean; maxBytes?: number } = {}): Uint8Array {
  const dataStart = entryDataOffset(source, entry, format);
  const where = `zip entry "${entry.name}"`;
  checkMaxBytes(entry.uncompressedSize, options.maxBytes ?? DEFAULT_MAX_BYTES, format, 'entry', where);
  let data: Uint8Array;
  if (entry.method === STORED) {
    data = readRange(source, dataStart, entry.compressedSize, format, `data of ${where}`);
  } else {
    const reader = new DeflateReader(
      (offset, length) => readRange(source, dataStart + offset, length, format, `data of ${where}`),
      entry.compressedSize,
      entry.uncompressedSize,
      format,
      where,
    );
    data = new Uint8Array(entry.uncompressedSize);
    reader.readInto(data);
    reader.finish();
  }
  if (options.verifyCrc && crc32(data) !== entry.crc32) {
    throw new FormatError(format, 'CRC-32 of the data does not match the zip directory: the file is corrupt', where);
  }
  return data;
}

/** `length` bytes at `offset` inside a stored entry, without reading the rest of it. */
export function readStoredRange(source: ByteSource, entry: ZipEntry, dataStart: number, offset: number, length: number, format: string): Uint8Array {
  if (offset < 0 || length < 0 || offset + length > entry.uncompressedSize) {
    throw new FormatError(format, `bytes ${offset}..${offset + length} lie outside the ${entry.uncompressedSize}-byte entry`, `zip entry "${entry.name}"`);
  }
  return readRange(source, dataStart + offset, length, format, `data of zip entry "${entry.name}"`);
}
