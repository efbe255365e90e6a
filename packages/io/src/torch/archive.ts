import { readRange, type ByteSource } from '../byte-source.js';
import { FormatError } from '../errors.js';
import { readZipDirectory, type ZipDirectory } from '../zip/central-directory.js';
import { readZipEntry } from '../zip/entry-data.js';

const FORMAT = 'pth';
export const LEGACY_MESSAGE =
  'unsupported legacy format, re-save with torch >= 1.6 (torch.save(obj, path)), which writes the zip format this reader understands';

/** A torch.save zip: `<top>/data.pkl`, `<top>/data/<key>` storages, `<top>/version`. */
export interface TorchArchive {
  source: ByteSource;
  directory: ZipDirectory;
  /** The top folder with its slash, e.g. "checkpoint-last/" (torch uses the file stem). */
  prefix: string;
  pickle: Uint8Array;
}

/**
 * Opens a torch.save archive: finds `<top>/data.pkl` whatever the top folder is called,
 * refuses the pre-1.6 formats with advice, and reads the pickle (CRC-checked).
 */
export function openTorchArchive(source: ByteSource, maxBytes?: number): TorchArchive {
  refuseNonZip(source);
  const directory = readZipDirectory(source, FORMAT);
  const pickles = directory.entries.filter((entry) => /^[^/]+\/data\.pkl$/.test(entry.name));
  if (pickles.length === 0) {
    const names = directory.entries
      .slice(0, 5)
      .map((entry) => entry.name)
      .join(', ');
    throw new FormatError(FORMAT, `zip has no <top>/data.pkl, so it is not a torch.save checkpoint (first entries: ${names || 'none'})`, 'zip directory');
  }
  if (pickles.length > 1) {
    throw new FormatError(
      FORMAT,
      `zip has several top folders with a data.pkl (${pickles.map((p) => p.name).join(', ')}); cannot tell which is the checkpoint`,
      'zip directory',
    );
  }
  const prefix = pickles[0].name.slice(0, -'data.pkl'.length);
  const byteOrder = directory.byName.get(`${prefix}byteorder`);
  if (byteOrder) {
    const order = new TextDecoder().decode(readZipEntry(source, byteOrder, FORMAT, { maxBytes: 64 })).trim();
    if (order !== 'little')
      throw new FormatError(FORMAT, `checkpoint was saved on a ${order}-endian machine; only little-endian checkpoints are supported`, byteOrder.name);
  }
  return { source, directory, prefix, pickle: readZipEntry(source, pickles[0], FORMAT, { verifyCrc: true, maxBytes }) };
}

/** torch < 1.6 wrote a bare pickle stream (or a tar archive even earlier): explain instead of "not a zip". */
function refuseNonZip(source: ByteSource): void {
  const head = readRange(source, 0, Math.min(source.size, 512), FORMAT, 'file start');
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return;
  const isPickle = head[0] === 0x80 && head[1] >= 2 && head[1] <= 5;
  const isTar = head.length >= 262 && new TextDecoder().decode(head.subarray(257, 262)) === 'ustar';
  if (isPickle || isTar) throw new FormatError(FORMAT, LEGACY_MESSAGE, 'byte 0');
  const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new FormatError(FORMAT, `file starts with bytes ${hex || '(none)'}, not a zip archive ("PK\\x03\\x04"): not a torch.save checkpoint`, 'byte 0');
}
