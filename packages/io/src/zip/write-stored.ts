import { FormatError } from '../errors.js';
import { crc32 } from './crc32.js';

export interface ZipFileInput {
  name: string;
  data: Uint8Array;
}

const MAX_CLASSIC_ZIP = 0xffffffff;
/** 1980-01-01 00:00 in DOS format: a fixed timestamp keeps the archive byte-for-byte deterministic. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 1 << 11;

/**
 * Writes an uncompressed (stored) zip archive, the way numpy's `savez` does. Files up to
 * 4 GB in total; larger archives would need zip64, which no caller needs yet.
 */
export function writeStoredZip(files: ZipFileInput[], format: string): Uint8Array {
  const encoder = new TextEncoder();
  const names = files.map((file) => encoder.encode(file.name));
  const localBytes = files.reduce((sum, file, i) => sum + 30 + names[i].length + file.data.length, 0);
  const directoryBytes = names.reduce((sum, name) => sum + 46 + name.length, 0);
  const total = localBytes + directoryBytes + 22;
  if (total > MAX_CLASSIC_ZIP || files.length > 0xffff) {
    throw new FormatError(format, `archive of ${files.length} files and ${total} bytes needs zip64, which this writer does not produce`);
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  const checksums = files.map((file) => crc32(file.data));
  let at = 0;
  files.forEach((file, i) => {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 6, UTF8_NAMES, true);
    view.setUint16(at + 8, 0, true);
    view.setUint16(at + 10, DOS_TIME, true);
    view.setUint16(at + 12, DOS_DATE, true);
    view.setUint32(at + 14, checksums[i], true);
    view.setUint32(at + 18, file.data.length, true);
    view.setUint32(at + 22, file.data.length, true);
    view.setUint16(at + 26, names[i].length, true);
    view.setUint16(at + 28, 0, true);
    out.set(names[i], at + 30);
    out.set(file.data, at + 30 + names[i].length);
    at += 30 + names[i].length + file.data.length;
  });
  const directoryOffset = at;
  files.forEach((file, i) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 8, UTF8_NAMES, true);
    view.setUint16(at + 10, 0, true);
    view.setUint16(at + 12, DOS_TIME, true);
    view.setUint16(at + 14, DOS_DATE, true);
    view.setUint32(at + 16, checksums[i], true);
    view.setUint32(at + 20, file.data.length, true);
    view.setUint32(at + 24, file.data.length, true);
    view.setUint16(at + 28, names[i].length, true);
    // extra, comment, disk, internal attributes, external attributes: all zero
    view.setUint32(at + 42, offsets[i], true);
    out.set(names[i], at + 46);
    at += 46 + names[i].length;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, files.length, true);
  view.setUint16(at + 10, files.length, true);
  view.setUint32(at + 12, at - directoryOffset, true);
  view.setUint32(at + 16, directoryOffset, true);
  return out;
}
