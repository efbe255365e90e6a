import { resizeGridAntialiased } from './resize-grid.js';

/** A float tensor as plain values (row-major) and a shape. */
export interface FloatArray {
  data: Float32Array | Float64Array;
  shape: number[];
}

export interface ResamplePosEmbedOptions {
  /** The new token grid [rows, columns]. */
  newSize: readonly [number, number];
  /** Leading rows that are not on the grid (the cls token's; 0 when the model adds no position to prefixes). */
  numPrefixTokens: number;
}

/**
 * timm's `resample_abs_pos_embed` as `checkpoint_filter_fn` calls it for DINOv2: the prefix rows are
 * kept, the square grid of the remaining rows is resized with antialiased bicubic (float64 here,
 * float32 out) and put back after them.
 * posEmbed: [1, P + g·g, D] → [1, P + h·w, D]
 */
export function resampleAbsPosEmbed(posEmbed: FloatArray, { newSize, numPrefixTokens }: ResamplePosEmbedOptions): { data: Float32Array; shape: number[] } {
  const [one, rows, D] = posEmbed.shape;
  if (posEmbed.shape.length !== 3 || one !== 1) throw new Error(`pos_embed must be [1, N, D], got [${posEmbed.shape.join(', ')}]`);
  const side = Math.round(Math.sqrt(rows - numPrefixTokens));
  if (side * side !== rows - numPrefixTokens) {
    throw new Error(`pos_embed has ${rows} rows: after ${numPrefixTokens} prefix rows that is not a square grid`);
  }
  const [h, w] = newSize;
  const out = new Float32Array((numPrefixTokens + h * w) * D);
  const prefixValues = numPrefixTokens * D;
  for (let i = 0; i < prefixValues; i++) out[i] = posEmbed.data[i];
  if (side === h && side === w) {
    for (let i = prefixValues; i < out.length; i++) out[i] = posEmbed.data[i];
  } else {
    out.set(resizeGridAntialiased(posEmbed.data.subarray(prefixValues), [side, side, D], [h, w]), prefixValues);
  }
  return { data: out, shape: [1, numPrefixTokens + h * w, D] };
}
