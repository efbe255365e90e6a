import type { ResampleFilter } from './filters.js';

/**
 * Fractional bits of PIL's fixed-point weights: 32 − 8 (pixel) − 2 (headroom for negative lobes
 * and sums above 1), as in Pillow's Resample.c.
 */
export const precisionBits = 22;
const one = 1 << precisionBits;

/**
 * The taps of a 1-D resize from `inSize` to `outSize` pixels: output pixel `o` is
 * `Σ_{i < counts[o]} weights[o·taps + i] · in[starts[o] + i]`, in units of 2^-22.
 */
export interface FixedPointTaps {
  /** [outSize] first source pixel of each output pixel */
  starts: Int32Array;
  /** [outSize] number of source pixels each output pixel reads */
  counts: Int32Array;
  /** row stride of `weights` (the most taps any output pixel can have) */
  taps: number;
  /** [outSize, taps] weights scaled by 2^22 and rounded away from zero at ½ */
  weights: Int32Array;
}

/**
 * PIL's `precompute_coeffs` followed by `normalize_coeffs_8bpc` for the full box (0, inSize):
 * an antialiased filter (support and argument scaled by max(in/out, 1)), taps centred at
 * `(o + ½)·in/out`, weights normalised by their float64 sum, then converted to fixed point.
 * Every float operation runs in the same order as Pillow's C so the integers match bit for bit.
 */
export function fixedPointTaps(inSize: number, outSize: number, filter: ResampleFilter): FixedPointTaps {
  if (!(inSize >= 1 && outSize >= 1)) {
    throw new Error(`resize: expected sizes ≥ 1, found ${inSize} → ${outSize}`);
  }
  const scale = inSize / outSize;
  const filterScale = scale < 1 ? 1 : scale;
  const support = filter.support * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const inverseFilterScale = 1 / filterScale;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Int32Array(outSize * taps);
  const row = new Float64Array(taps);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    // C's (int) cast truncates toward zero; negative starts are then clamped to 0.
    const first = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - first;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const w = filter.weight((i + first - center + 0.5) * inverseFilterScale);
      row[i] = w;
      sum += w;
    }
    for (let i = 0; i < count; i++) {
      const w = sum !== 0 ? row[i] / sum : row[i];
      weights[o * taps + i] = w < 0 ? Math.trunc(-0.5 + w * one) : Math.trunc(0.5 + w * one);
    }
    starts[o] = first;
    counts[o] = count;
  }
  return { starts, counts, taps, weights };
}
