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
}

/** A ByteSource over bytes already in memory (reads are views, not copies). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/**
 * Reads `length` bytes at `offset` after checking the range lies inside the source, so a
 * corrupt length or offset becomes a FormatError instead of a short read or a huge allocation.
 */
export function readRange(source: ByteSource, offset: number, length: number, format: string, what: string): Uint8Array {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > source.size) {
    throw new FormatError(format, `${what} (bytes ${offset}..${offset + length}) lies outside the ${source.size}-byte file; is the file truncated?`, `byte ${offset}`);
  }
  const bytes = source.read(offset, length);
  if (bytes.length !== length) {
    throw new FormatError(format, `${what}: read ${bytes.length} of ${length} bytes; the file may have changed while reading`, `byte ${offset}`);
  }
  return bytes;
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
