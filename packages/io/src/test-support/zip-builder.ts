// Test-only: builds zip archives in the shapes real writers produce (deflated entries,
// zip64 records, alignment padding) so the readers can be tested without those writers.
// Uses node:zlib, so nothing outside tests may import it.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../zip/crc32.js';

export interface BuildZipOptions {
  /** Deflate every entry (default: store). */
  deflate?: boolean;
  /** Write zip64 sizes, offsets and end records even though they are not needed. */
  zip64?: boolean;
  /** Pad each local header's extra field so data starts at a multiple of this (torch uses 64). */
  align?: number;
}

export function buildZip(files: Array<{ name: string; data: Uint8Array }>, options: BuildZipOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    offset += bytes.length;
  };
  for (const file of files) {
    const name = new TextEncoder().encode(file.name);
    const body = options.deflate ? new Uint8Array(deflateRawSync(file.data)) : file.data;
    const method = options.deflate ? 8 : 0;
    const crc = crc32(file.data);
    const zip64Extra = options.zip64 ? extra64([file.data.length, body.length, offset]) : new Uint8Array(0);
    const headerEnd = offset + 30 + name.length + zip64Extra.length;
    const padding = options.align ? ((options.align - ((headerEnd + 4) % options.align)) % options.align) + 4 : 0;
    const local = new Uint8Array(30 + name.length + zip64Extra.length + padding);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, options.zip64 ? 45 : 20, true);
    lv.setUint16(8, method, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, options.zip64 ? 0xffffffff : body.length, true);
    lv.setUint32(22, options.zip64 ? 0xffffffff : file.data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, zip64Extra.length + padding, true);
    local.set(name, 30);
    local.set(zip64Extra, 30 + name.length);
    if (padding) {
      // an unknown extra field ("FB", as torch writes) of padding - 4 zero bytes
      lv.setUint16(30 + name.length + zip64Extra.length, 0x4246, true);
      lv.setUint16(30 + name.length + zip64Extra.length + 2, padding - 4, true);
    }
    const entry = new Uint8Array(46 + name.length + zip64Extra.length);
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 45, true);
    cv.setUint16(6, options.zip64 ? 45 : 20, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, options.zip64 ? 0xffffffff : body.length, true);
    cv.setUint32(24, options.zip64 ? 0xffffffff : file.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, zip64Extra.length, true);
    cv.setUint32(42, options.zip64 ? 0xffffffff : offset, true);
    entry.set(name, 46);
    entry.set(zip64Extra, 46 + name.length);
    central.push(entry);
    push(local);
    push(body);
  }
  const directoryOffset = offset;
  for (const entry of central) push(entry);
  const directorySize = offset - directoryOffset;
  if (options.zip64) {
    const record = new Uint8Array(56);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(files.length), true);
    rv.setBigUint64(32, BigInt(files.length), true);
    rv.setBigUint64(40, BigInt(directorySize), true);
    rv.setBigUint64(48, BigInt(directoryOffset), true);
    const recordOffset = offset;
    push(record);
    const locator = new Uint8Array(20);
    const locv = new DataView(locator.buffer);
    locv.setUint32(0, 0x07064b50, true);
    locv.setBigUint64(8, BigInt(recordOffset), true);
    locv.setUint32(16, 1, true);
    push(locator);
  }
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, options.zip64 ? 0xffff : files.length, true);
  ev.setUint16(10, options.zip64 ? 0xffff : files.length, true);
  ev.setUint32(12, options.zip64 ? 0xffffffff : directorySize, true);
  ev.setUint32(16, options.zip64 ? 0xffffffff : directoryOffset, true);
  push(end);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function extra64(values: number[]): Uint8Array {
  const out = new Uint8Array(4 + values.length * 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0001, true);
  view.setUint16(2, values.length * 8, true);
  values.forEach((value, i) => view.setBigUint64(4 + i * 8, BigInt(value), true));
  return out;
}
