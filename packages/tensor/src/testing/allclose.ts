import type { Tolerance } from './fixtures.js';

export interface CloseReport {
  ok: boolean;
  /** Largest |actual − expected|. */
  maxAbsError: number;
  /** The allowed error at the worst element: atol + rtol·|expected|. */
  allowed: number;
  /** Index of the element that violates the bound most (or of the largest error). */
  worstIndex: number;
  message: string;
}

/**
 * Elementwise `|actual − expected| ≤ atol + rtol·|expected|` (numpy's allclose rule). NaN only
 * matches NaN; shapes are compared by the caller.
 */
export function allclose(actual: ArrayLike<number>, expected: ArrayLike<number>, { atol, rtol }: Tolerance): CloseReport {
  if (actual.length !== expected.length) {
    return { ok: false, maxAbsError: Infinity, allowed: atol, worstIndex: -1, message: `length ${actual.length} != expected ${expected.length}` };
  }
  let maxAbsError = 0;
  let worstIndex = -1;
  let worstRatio = -Infinity;
  let ok = true;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e)) {
        ok = false;
        worstIndex = i;
        maxAbsError = Infinity;
      }
      continue;
    }
    const error = Math.abs(a - e);
    const bound = atol + rtol * Math.abs(e);
    if (error > maxAbsError) maxAbsError = error;
    const ratio = error - bound;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worstIndex = i;
    }
    if (!(error <= bound)) ok = false;
  }
  const allowed = worstIndex >= 0 ? atol + rtol * Math.abs(expected[worstIndex]) : atol;
  const message = ok
    ? `max abs error ${maxAbsError.toExponential(3)} within atol ${atol} + rtol ${rtol}·|expected|`
    : `element ${worstIndex}: actual ${actual[worstIndex]} vs expected ${expected[worstIndex]} (error ${Math.abs(actual[worstIndex] - expected[worstIndex]).toExponential(3)} > allowed ${allowed.toExponential(3)}); max abs error ${maxAbsError.toExponential(3)}`;
  return { ok, maxAbsError, allowed, worstIndex, message };
}
