import type { RawTensor } from '@pixelrepa/io';
import { allclose, toleranceFor, type CaseJson, type Tolerance } from '@pixelrepa/tensor/testing';
import type { TensorResult } from './kind.js';

/**
 * Compares `actual` with the expected tensor `name` of a case, with that tensor's tolerance
 * (or `tolerance` when given). Integer tensors must match exactly.
 */
export function compareTensor(json: CaseJson, name: string, actual: ArrayLike<number>, expected: RawTensor, tolerance?: Tolerance): TensorResult {
  const isInteger = !['F64', 'F32', 'F16', 'BF16'].includes(expected.dtype);
  const tol = isInteger ? { atol: 0, rtol: 0 } : (tolerance ?? toleranceFor(json, name));
  const values = expected.dtype === 'I64' ? Float64Array.from(expected.data as BigInt64Array, (v) => Number(v)) : (expected.data as ArrayLike<number>);
  const count = expected.shape.reduce((a, b) => a * b, 1);
  if (actual.length !== count) {
    return {
      tensor: name,
      maxAbsError: Infinity,
      allowed: tol.atol,
      ok: false,
      detail: `got ${actual.length} values, expected shape [${expected.shape.join(', ')}]`,
    };
  }
  const report = allclose(actual, values, tol);
  return { tensor: name, maxAbsError: report.maxAbsError, allowed: report.allowed, ok: report.ok, detail: report.ok ? undefined : report.message };
}

/** A scalar check (for non-tensor leaves such as numbers in a checkpoint). */
export function compareValue(name: string, actual: unknown, expected: unknown): TensorResult {
  const ok = JSON.stringify(actual) === JSON.stringify(expected);
  return {
    tensor: name,
    maxAbsError: ok ? 0 : Infinity,
    allowed: 0,
    ok,
    detail: ok ? undefined : `got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
  };
}
