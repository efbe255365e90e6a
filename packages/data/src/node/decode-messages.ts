import type { SkipReason } from '../loader/sample-source.js';

/** Decode `path`, then ADM-center-crop to `size` when given. */
export interface DecodeRequest {
  id: number;
  path: string;
  size?: number;
  /** Pixel budget per image (see decodeImage). */
  maxPixels?: number;
}

export type DecodeReply =
  { id: number; width: number; height: number; data: Uint8Array; error?: undefined } | { id: number; error: { reason: SkipReason; message: string } };
