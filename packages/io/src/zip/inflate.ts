import { Inflate } from 'fflate';
import { FormatError } from '../errors.js';

/** Thrown from the data callback to stop decoding a stream that is already too long. */
class TooLong extends Error {}

/**
 * Inflates a raw DEFLATE stream (a zip entry's data) that must produce exactly `expectedSize`
 * bytes. Decoding is streamed (fflate), so the output grows only as data is actually decoded: a
 * corrupt size in a tiny file cannot force a huge allocation, and decoding stops as soon as the
 * stream would exceed the declared size.
 */
export function inflateRaw(input: Uint8Array, expectedSize: number, format: string, where: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let written = 0;
  const inflater = new Inflate((chunk) => {
    written += chunk.length;
    if (written > expectedSize) throw new TooLong();
    chunks.push(chunk.slice());
  });
  try {
    inflater.push(input, true);
  } catch (error) {
    if (error instanceof TooLong) {
      throw new FormatError(format, `deflated data decodes to more than the ${expectedSize} bytes the zip directory declares`, where);
    }
    throw new FormatError(format, `deflated data is corrupt or truncated (${(error as Error).message}) after ${written} decoded bytes`, where);
  }
  if (written !== expectedSize) {
    throw new FormatError(format, `deflated data ends after ${written} bytes, but the zip directory declares ${expectedSize}`, where);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(written);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
