import { FormatError } from './errors.js';

/**
 * Random access to the bytes of a file without holding all of it: a 20 GB training
 * checkpoint is read by seeking to the few ranges that matter (zip directory, pickle, the
 * selected tensors). Browsers pass a Uint8Array (`bytesSource`); Node opens a file
 * descriptor (`openFileSource` in `@pixelrepa/io/node`).
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** `length` bytes starting at `offset`; callers check the range against `size` first. */
  read(offset: number, length: number): Uint8Array;
  /**
   * Optional: copies `target.length` bytes at `offset` straight into `target` (a tensor's own
   * buffer), so a reader needs no second copy of the data. Without it, `read` + `set` is used.
   */
  readInto?(offset: number, target: Uint8Array): void;
}

/** A ByteSource over bytes already in memory (reads are views, not copies). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, offset + length),
    readInto: (offset, target) => target.set(bytes.subarray(offset, offset + target.length)),
  };
}

/**
 * Reads `length` bytes at `offset` after checking the range lies inside the source, so a
 * corrupt length or offset becomes a FormatError instead of a short read or a huge allocation.
 */
export function readRange(source: ByteSource, offset: number, length: number, format: string, what: string): Uint8Array {
  checkRange(source, offset, length, format, what);
  const bytes = source.read(offset, length);
  if (bytes.length !== length) {
    throw new FormatError(format, `${what}: read ${bytes.length} of ${length} bytes; the file may have changed while reading`, `byte ${offset}`);
  }
  return bytes;
}

function checkRange(source: ByteSource, offset: number, length: number, format: string, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > source.size) {
    throw new FormatError(
      format,
      `${what} (bytes ${offset}..${offset + length}) lies outside the ${source.size}-byte file; is the file truncated?`,
      `byte ${offset}`,
    );
  }
}

/**
 * Fills `target` with the bytes at `offset` after the same range check as `readRange`, straight
 * from the source when it can (`readInto`): tensor data is then read into the tensor's own buffer.
 */
export function readRangeInto(source: ByteSource, offset: number, target: Uint8Array, format: string, what: string): void {
  if (!source.readInto) {
    target.set(readRange(source, offset, target.length, format, what));
    return;
  }
  checkRange(source, offset, target.length, format, what);
  source.readInto(offset, target);
}

/** Accepts either a ByteSource or bytes in memory. */
export function toByteSource(input: ByteSource | Uint8Array): ByteSource {
  return input instanceof Uint8Array ? bytesSource(input) : input;
}

/**
 * A copy of `bytes[start, end)` in a fresh buffer. Not `bytes.slice()`: on a Node Buffer,
 * `slice` returns a view into the caller's (often pooled) memory.
 */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  const copy = new Uint8Array(Math.max(0, Math.min(end, bytes.length) - start));
  copy.set(bytes.subarray(start, end));
  return copy;
}
