const EPSILON = 2 ** -52;

/** `P·A·Pᵀ = L·Lᵀ` with L [n, rank] lower trapezoidal (stored in an [n, n] row-major array). */
export interface PivotedCholesky {
  /** L, [n, n] row-major; columns ≥ rank are zero. */
  factor: Float64Array;
  /** Row i of L belongs to row `permutation[i]` of A. */
  permutation: Int32Array;
  rank: number;
}

/**
 * Cholesky factorisation with diagonal pivoting for symmetric positive SEMI-definite A: at each
 * step the largest remaining diagonal is eliminated, and the factorisation stops when every
 * remaining diagonal is ≤ `tolerance` (default n·ε·max diag, LAPACK `dpstrf`'s rule). A singular
 * covariance thus gets a thin factor instead of a failure.
 *
 * a: [n, n] row-major symmetric (not modified)
 */
export function pivotedCholesky(a: Float64Array, n: number, { tolerance }: { tolerance?: number } = {}): PivotedCholesky {
  const factor = new Float64Array(n * n);
  const permutation = Int32Array.from({ length: n }, (_, i) => i);
  const remaining = Float64Array.from({ length: n }, (_, i) => a[i * n + i]);
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, remaining[i]);
  const stop = tolerance ?? n * EPSILON * largest;
  let rank = n;
  for (let j = 0; j < n; j++) {
    let pivot = j;
    for (let i = j + 1; i < n; i++) if (remaining[i] > remaining[pivot]) pivot = i;
    if (!(remaining[pivot] > stop)) {
      rank = j;
      break;
    }
    if (pivot !== j) swapRows(factor, permutation, remaining, n, j, pivot);
    const ljj = Math.sqrt(remaining[j]);
    factor[j * n + j] = ljj;
    const rowJ = j * n;
    const sourceJ = permutation[j] * n;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let sum = a[sourceJ + permutation[i]];
      for (let k = 0; k < j; k++) sum -= factor[rowI + k] * factor[rowJ + k];
      const lij = sum / ljj;
      factor[rowI + j] = lij;
      remaining[i] -= lij * lij;
    }
  }
  return { factor, permutation, rank };
}

function swapRows(factor: Float64Array, permutation: Int32Array, remaining: Float64Array, n: number, i: number, j: number): void {
  [permutation[i], permutation[j]] = [permutation[j], permutation[i]];
  [remaining[i], remaining[j]] = [remaining[j], remaining[i]];
  // Only the first i columns are filled so far.
  for (let k = 0; k < i; k++) {
    const swap = factor[i * n + k];
    factor[i * n + k] = factor[j * n + k];
    factor[j * n + k] = swap;
  }
}
