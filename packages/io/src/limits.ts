import { FormatError } from './errors.js';

/**
 * Default of the readers' `maxBytes` option: 64 GiB of tensor data. Generous on purpose: a full
 * JiT-G/16 training checkpoint (weights, two EMAs and two Adam moments, 5 × 8 GB) fits, so no
 * real file is refused; callers that know their memory pass less.
 */
export const DEFAULT_MAX_BYTES = 2 ** 36;

/** Deeper nesting than this in a header or pickle is refused (real files nest a handful of levels). */
export const MAX_NESTING = 256;

/** Options every reader takes. */
export interface ReadLimits {
  /**
   * Refuse a file whose tensors (and, for deflated entries, inflated bytes) would take more than
   * this many bytes, before allocating them. Default `DEFAULT_MAX_BYTES` (64 GiB).
   */
  maxBytes?: number;
}

/** The maxBytes option checked: a non-negative number (Infinity allowed). */
export function maxBytesOf(limits: ReadLimits | undefined): number {
  const value = limits?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(typeof value === 'number' && value >= 0)) throw new RangeError(`maxBytes must be a non-negative number of bytes, found ${String(value)}`);
  return value;
}

/** Throws when `bytes` exceed `maxBytes`, naming the option so people know how to raise it. */
export function checkMaxBytes(bytes: number, maxBytes: number, format: string, what: string, where: string): void {
  if (bytes > maxBytes) {
    throw new FormatError(
      format,
      `${what} would take ${bytes} bytes, more than maxBytes (${maxBytes}); refusing before allocating (pass a larger maxBytes if the file is trusted)`,
      where,
    );
  }
}
