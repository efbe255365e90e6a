import { readRange, type ByteSource } from '../byte-source.js';
import { FormatError } from '../errors.js';

/** One file of a zip archive as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated; anything else is refused when the entry is read. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  /** Offset of the entry's local header. */
  localHeaderOffset: number;
  /** Where the next entry (or the central directory) begins: the entry's data must end before it. */
  limit: number;
  encrypted: boolean;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  byName: Map<string, ZipEntry>;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const END_RECORD_BYTES = 22;
const CENTRAL_HEADER_BYTES = 46;
/** The end record sits in the last 22 bytes plus a comment of at most 65535 bytes. */
const MAX_TAIL_BYTES = END_RECORD_BYTES + 0xffff;
const ZIP64_EXTRA_ID = 0x0001;

/**
 * Reads the central directory of a zip archive (zip64 included) from its tail, without
 * touching the entries' data, so a 20 GB checkpoint costs a few small reads.
 * Every size and offset is checked against the file before it is used.
 */
export function readZipDirectory(source: ByteSource, format: string): ZipDirectory {
  const tailLength = Math.min(source.size, MAX_TAIL_BYTES);
  const tailStart = source.size - tailLength;
  const tail = readRange(source, tailStart, tailLength, format, 'zip end record');
  const tailView = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let endAt = -1;
  for (let i = tailLength - END_RECORD_BYTES; i >= 0; i--) {
    if (tailView.getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) throw new FormatError(format, 'no zip end-of-central-directory record: not a zip archive, or truncated', `last ${tailLength} bytes`);
  const endOffset = tailStart + endAt;
  let entryCount = tailView.getUint16(endAt + 10, true);
  let directorySize = tailView.getUint32(endAt + 12, true);
  let directoryOffset = tailView.getUint32(endAt + 16, true);
  let directoryEnd = endOffset;

  // A zip64 archive keeps the real counts in a second record that a locator just before the
  // end record points to; PyTorch (miniz) writes one whenever the file passes 4 GB.
  const locator = endOffset >= 20 ? readRange(source, endOffset - 20, 20, format, 'zip64 locator') : undefined;
  const locatorView = locator && new DataView(locator.buffer, locator.byteOffset, locator.byteLength);
  if (locatorView && locatorView.getUint32(0, true) === ZIP64_END_LOCATOR) {
    const recordOffset = bigToSafe(locatorView.getBigUint64(8, true), format, 'zip64 end record offset');
    if (recordOffset + 56 > endOffset - 20) {
      throw new FormatError(format, `zip64 end record at byte ${recordOffset} overlaps its locator at byte ${endOffset - 20}`, `byte ${endOffset - 20}`);
    }
    const record = readRange(source, recordOffset, 56, format, 'zip64 end-of-central-directory record');
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (view.getUint32(0, true) !== ZIP64_END_OF_CENTRAL_DIRECTORY) {
      throw new FormatError(format, 'zip64 locator points at something that is not a zip64 end record', `byte ${recordOffset}`);
    }
    entryCount = bigToSafe(view.getBigUint64(32, true), format, 'zip64 entry count');
    directorySize = bigToSafe(view.getBigUint64(40, true), format, 'zip64 central directory size');
    directoryOffset = bigToSafe(view.getBigUint64(48, true), format, 'zip64 central directory offset');
    directoryEnd = recordOffset;
  }
  if (directoryOffset + directorySize > directoryEnd) {
    throw new FormatError(
      format,
      `central directory (bytes ${directoryOffset}..${directoryOffset + directorySize}) runs past its end record at byte ${directoryEnd}`,
      `byte ${endOffset}`,
    );
  }
  if (entryCount * CENTRAL_HEADER_BYTES > directorySize) {
    throw new FormatError(format, `${entryCount} entries cannot fit in a ${directorySize}-byte central directory`, `byte ${endOffset}`);
  }
  const directory = readRange(source, directoryOffset, directorySize, format, 'zip central directory');
  const entries = parseEntries(directory, directoryOffset, entryCount, format);
  assignLimits(entries, directoryOffset, format);
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) throw new FormatError(format, `zip holds two entries named "${entry.name}"`, 'central directory');
    byName.set(entry.name, entry);
  }
  return { entries, byName };
}

function parseEntries(directory: Uint8Array, directoryOffset: number, entryCount: number, format: string): ZipEntry[] {
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const names = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < entryCount; i++) {
    const where = `central directory entry ${i}, byte ${directoryOffset + at}`;
    if (at + CENTRAL_HEADER_BYTES > directory.length || view.getUint32(at, true) !== CENTRAL_FILE_HEADER) {
      throw new FormatError(format, 'expected a central directory file header', where);
    }
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
    if (next > directory.length) throw new FormatError(format, 'file header runs past the end of the central directory', where);
    const nameStart = at + CENTRAL_HEADER_BYTES;
    const sizes = {
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    applyZip64Extra(view, nameStart + nameLength, extraLength, sizes, format, where);
    entries.push({
      name: names.decode(directory.subarray(nameStart, nameStart + nameLength)),
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      ...sizes,
      limit: 0,
      encrypted: (flags & 1) !== 0,
    });
    at = next;
  }
  return entries;
}

/** Replaces 0xFFFFFFFF sizes/offsets by their 64-bit values from the zip64 extra field. */
function applyZip64Extra(
  view: DataView,
  start: number,
  length: number,
  sizes: { compressedSize: number; uncompressedSize: number; localHeaderOffset: number },
  format: string,
  where: string,
): void {
  const needs = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter((key) => sizes[key] === 0xffffffff);
  if (needs.length === 0) return;
  for (let at = start; at + 4 <= start + length;) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (at + 4 + size > start + length) break;
    if (id === ZIP64_EXTRA_ID) {
      if (size < needs.length * 8) throw new FormatError(format, `zip64 extra field holds ${size} bytes, needs ${needs.length * 8}`, where);
      needs.forEach((key, i) => {
        sizes[key] = bigToSafe(view.getBigUint64(at + 4 + i * 8, true), format, `zip64 ${key}`);
      });
      return;
    }
    at += 4 + size;
  }
  throw new FormatError(format, 'sizes say zip64 but the entry has no zip64 extra field', where);
}

/**
 * Each entry's data must end before the next local header (or the central directory):
 * entries that overlap are how zip bombs multiply their size, and never how PyTorch writes.
 */
function assignLimits(entries: ZipEntry[], directoryOffset: number, format: string): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < byOffset.length; i++) {
    const entry = byOffset[i];
    const limit = i + 1 < byOffset.length ? byOffset[i + 1].localHeaderOffset : directoryOffset;
    if (entry.localHeaderOffset >= limit) {
      throw new FormatError(
        format,
        `entry "${entry.name}" starts at byte ${entry.localHeaderOffset}, not before the next entry or the central directory at byte ${limit}`,
        'central directory',
      );
    }
    entry.limit = limit;
  }
}

function bigToSafe(value: bigint, format: string, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(format, `${what} ${value} is beyond any real file size`, 'zip64 record');
  return Number(value);
}
