import { readRangeInto, readRange, type ByteSource } from '../byte-source.js';
import { FormatError } from '../errors.js';
import type { ZipEntry } from './central-directory.js';
import { CRC32_START, crc32Final, crc32Update } from './crc32.js';
import { entryDataOffset, STORED } from './entry-data.js';
import { DeflateReader } from './inflate.js';

/**
 * Reads a zip entry's uncompressed content front to back into buffers the caller owns (a
 * tensor's own array), stored or deflated alike. Nothing is decoded beyond what is asked for,
 * so a caller can stop at the bytes it needs; `finish()` after reading everything checks that
 * the data ends exactly at the declared size and, with `verifyCrc`, its CRC-32.
 */
export class ZipEntryReader {
  readonly size: number;
  private position = 0;
  private crc = CRC32_START;
  private readonly dataStart: number;
  private readonly deflate?: DeflateReader;
  private readonly where: string;

  constructor(
    private readonly source: ByteSource,
    private readonly entry: ZipEntry,
    private readonly format: string,
    private readonly options: { verifyCrc?: boolean } = {},
  ) {
    this.where = `zip entry "${entry.name}"`;
    this.size = entry.uncompressedSize;
    this.dataStart = entryDataOffset(source, entry, format);
    if (entry.method !== STORED) {
      const start = this.dataStart;
      const what = `data of ${this.where}`;
      // Every compressed range lies inside the file: entryDataOffset checked it against the next entry.
      this.deflate = new DeflateReader(
        (offset, length) => readRange(source, start + offset, length, format, what),
        entry.compressedSize,
        entry.uncompressedSize,
        format,
        this.where,
      );
    }
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.size - this.position;
  }

  /** Fills `target` with the next `target.length` bytes of the entry. */
  readInto(target: Uint8Array): void {
    if (target.length > this.remaining) {
      throw new FormatError(this.format, `needs ${target.length} more bytes at byte ${this.position} of a ${this.size}-byte entry (truncated?)`, this.where);
    }
    if (this.deflate) this.deflate.readInto(target);
    else readRangeInto(this.source, this.dataStart + this.position, target, this.format, `data of ${this.where}`);
    if (this.options.verifyCrc) this.crc = crc32Update(this.crc, target);
    this.position += target.length;
  }

  /** The next `length` bytes, in a fresh buffer. */
  read(length: number): Uint8Array {
    if (length > this.remaining) {
      throw new FormatError(this.format, `needs ${length} more bytes at byte ${this.position} of a ${this.size}-byte entry (truncated?)`, this.where);
    }
    const out = new Uint8Array(length);
    this.readInto(out);
    return out;
  }

  /** After everything was read: the data ends exactly here and (with verifyCrc) its CRC matches. */
  finish(): void {
    if (this.remaining > 0) {
      throw new FormatError(this.format, `${this.remaining} bytes of the ${this.size}-byte entry are left after its content`, this.where);
    }
    this.deflate?.finish();
    if (this.options.verifyCrc && crc32Final(this.crc) !== this.entry.crc32) {
      throw new FormatError(this.format, 'CRC-32 of the data does not match the zip directory: the file is corrupt', this.where);
    }
  }
}
