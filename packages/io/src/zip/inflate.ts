import { Inflate } from 'fflate';
import { FormatError } from '../errors.js';

/**
 * Most bytes one byte of DEFLATE data can decode to (a length-258 copy costs at least 2 bits,
 * so the format's ceiling is about 1032:1). A zip entry that declares more is lying.
 */
export const MAX_DEFLATE_RATIO = 1032;
/** Aim for about this much output per step: a step of a bomb stays small, and fflate is fastest with small steps. */
const STEP_OUTPUT = 1 << 20;

/**
 * Streams a raw DEFLATE stream (a zip entry's data) that must decode to exactly `declaredSize`
 * bytes into buffers the caller owns, only as far as the caller asks: `readInto(target)` fills
 * target with the next bytes and stops. The compressed input is pulled in small steps sized so
 * that one step decodes to a few MiB at most, so memory beyond the caller's buffers stays a
 * small constant whatever the compression ratio, and a caller that needs only the first 16 bytes
 * of a 1 GiB entry decodes little more than that.
 */
export class DeflateReader {
  /** Decoded bytes not yet handed out (the tail of the last step). */
  private pending = new Uint8Array(0);
  private pendingAt = 0;
  private consumed = 0;
  /** Decoded bytes so far (handed out or pending). */
  private produced = 0;
  private ended = false;
  private readonly inflater: Inflate;

  constructor(
    private readonly readInput: (offset: number, length: number) => Uint8Array,
    private readonly compressedSize: number,
    readonly declaredSize: number,
    private readonly format: string,
    private readonly where: string,
  ) {
    if (declaredSize > compressedSize * MAX_DEFLATE_RATIO + 1024) {
      throw new FormatError(
        format,
        `entry declares ${declaredSize} bytes from ${compressedSize} deflated bytes, more than DEFLATE can encode (about ${MAX_DEFLATE_RATIO}:1)`,
        where,
      );
    }
    this.inflater = new Inflate((chunk) => {
      this.produced += chunk.length;
      if (this.produced > declaredSize) {
        throw new FormatError(format, `deflated data decodes to more than the ${declaredSize} bytes the zip directory declares`, where);
      }
      // fflate hands out a fresh chunk per step and we take at most one step at a time.
      this.pending = chunk;
      this.pendingAt = 0;
    });
  }

  /** Bytes decoded so far (handed out or waiting): how far the stream has been inflated. */
  get decodedBytes(): number {
    return this.produced;
  }

  /** Fills `target` with the next decoded bytes; throws if the stream ends first. */
  readInto(target: Uint8Array): void {
    let filled = 0;
    while (filled < target.length) {
      const available = this.pending.length - this.pendingAt;
      if (available > 0) {
        const count = Math.min(available, target.length - filled);
        target.set(this.pending.subarray(this.pendingAt, this.pendingAt + count), filled);
        this.pendingAt += count;
        filled += count;
        continue;
      }
      if (this.ended) {
        throw new FormatError(this.format, `deflated data ends after ${this.produced} bytes, but the zip directory declares ${this.declaredSize}`, this.where);
      }
      this.step();
    }
    if (this.pendingAt === this.pending.length) this.pending = new Uint8Array(0); // let the step's buffer go
  }

  /** After the caller has read all `declaredSize` bytes: checks the stream ends exactly there. */
  finish(): void {
    while (!this.ended) {
      if (this.pending.length > this.pendingAt) break;
      this.step();
    }
    if (this.pending.length > this.pendingAt || this.produced > this.declaredSize) {
      throw new FormatError(this.format, `deflated data decodes to more than the ${this.declaredSize} bytes the zip directory declares`, this.where);
    }
  }

  /** Decodes one step of input, sized from the ratio seen so far. */
  private step(): void {
    const ratio = this.consumed > 0 ? Math.max(1, this.produced / this.consumed) : MAX_DEFLATE_RATIO; // first step: assume the worst
    const size = Math.min(this.compressedSize - this.consumed, Math.max(1024, Math.min(256 << 10, Math.floor(STEP_OUTPUT / ratio))));
    const input = this.readInput(this.consumed, size);
    this.consumed += size;
    const final = this.consumed >= this.compressedSize;
    const producedBefore = this.produced;
    try {
      this.inflater.push(input, final);
    } catch (error) {
      if (error instanceof FormatError) throw error;
      throw new FormatError(
        this.format,
        `deflated data is corrupt or truncated (${(error as Error).message}) after ${producedBefore} decoded bytes`,
        this.where,
      );
    }
    // fflate throws on input that ends inside the stream once told it is final; after that,
    // nothing more will come (a stream shorter than declared is caught by readInto).
    if (final) this.ended = true;
  }
}

/** Inflates a whole in-memory DEFLATE stream that must decode to exactly `expectedSize` bytes. */
export function inflateRaw(input: Uint8Array, expectedSize: number, format: string, where: string): Uint8Array {
  const reader = new DeflateReader((offset, length) => input.subarray(offset, offset + length), input.length, expectedSize, format, where);
  const out = new Uint8Array(expectedSize);
  reader.readInto(out);
  reader.finish();
  return out;
}
