import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { multiplyTransposed } from './multiply-transposed.js';
import { pivotedCholesky } from './pivoted-cholesky.js';

/**
 * `tr sqrt(Σ1·Σ2) = Σ sqrt(λ_i(Σ1·Σ2))` for covariances Σ1, Σ2 (symmetric positive
 * semi-definite), the cross term of the Fréchet distance.
 *
 * Σ1·Σ2 is not symmetric, but with `P Σ1 Pᵀ = L Lᵀ` (pivoted Cholesky) it has the eigenvalues of
 * the symmetric PSD `Lᵀ (P Σ2 Pᵀ) L`, so ml-matrix's symmetric eigen-solver (Householder
 * tridiagonalisation + implicit QL, JAMA's tred2/tql2; ~1 min at 2048) suffices instead of its
 * general one (several minutes). Negative eigenvalues (round-off) count as 0 — the same as
 * torch-fidelity's real part of the complex square root.
 *
 * sigma1, sigma2: [n, n] row-major
 */
export function traceSqrtProduct(sigma1: Float64Array, sigma2: Float64Array, n: number): number {
  const { factor, permutation, rank } = pivotedCholesky(sigma1, n);
  if (rank === 0) return 0;
  // lt = Lᵀ: [rank, n]; row k is zero before column k.
  const lt = new Float64Array(rank * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < Math.min(i + 1, rank); k++) lt[k * n + i] = factor[i * n + k];
  // b = P Σ2 Pᵀ: [n, n], symmetric.
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const source = permutation[i] * n;
    for (let m = 0; m < n; m++) b[i * n + m] = sigma2[source + permutation[m]];
  }
  // tt = Lᵀ b: [rank, n] (= (b L)ᵀ since b is symmetric).
  const tt = rowProducts(lt, rank, b, n, n, { skipLeading: true });
  // c = Lᵀ b L = lt · ttᵀ: [rank, rank], symmetric.
  const c = rowProducts(lt, rank, tt, rank, n, { skipLeading: true, upperOnly: true });
  for (let k = 0; k < rank; k++) for (let j = k + 1; j < rank; j++) c[j * rank + k] = c[k * rank + j];
  const rows = Array.from({ length: rank }, (_, i) => Array.from(c.subarray(i * rank, (i + 1) * rank)));
  const eigenvalues = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
  let trace = 0;
  for (const value of eigenvalues) if (value > 0) trace += Math.sqrt(value);
  return trace;
}

/**
 * `x · yᵀ` for row-major x [m, len] whose row k is zero before column k (`skipLeading`, so
 * each dot starts there) and y [p, len]; `upperOnly` fills only entries (k, j ≥ k).
 * Two rows of x meet two rows of y per pass. → [m, p]
 */
function rowProducts(x: Float64Array, m: number, y: Float64Array, p: number, len: number, { skipLeading = false, upperOnly = false } = {}): Float64Array {
  const out = new Float64Array(m * p);
  for (let k = 0; k < m; k += 2) {
    const pair = k + 1 < m;
    const x0 = k * len;
    const x1 = x0 + len;
    const from = skipLeading ? k : 0;
    for (let j = upperOnly ? k : 0; j < p; j += 2) {
      const y0 = j * len;
      const y1 = y0 + len;
      const both = j + 1 < p;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      if (pair && both) {
        for (let t = from; t < len; t++) {
          const a0 = x[x0 + t],
            a1 = x[x1 + t],
            b0 = y[y0 + t],
            b1 = y[y1 + t];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
        }
      } else {
        for (let t = from; t < len; t++) {
          const a0 = x[x0 + t],
            b0 = y[y0 + t];
          s00 += a0 * b0;
          if (both) s01 += a0 * y[y1 + t];
          if (pair) s10 += x[x1 + t] * b0;
        }
      }
      out[k * p + j] = s00;
      if (both) out[k * p + j + 1] = s01;
      if (pair) out[(k + 1) * p + j] = s10;
      if (pair && both) out[(k + 1) * p + j + 1] = s11;
    }
  }
  return out;
}

/**
 * The same trace exactly as torch-fidelity computes it: the eigenvalues of the non-symmetric
 * product (ml-matrix's general eigen-solver), `Σ Re sqrt(λ)` over the complex eigenvalues.
 * Minutes at n = 2048; for checking and small n.
 */
export function traceSqrtProductByEigvals(sigma1: Float64Array, sigma2: Float64Array, n: number): number {
  // Σ2 is symmetric, so Σ1·Σ2 = Σ1·Σ2ᵀ.
  const product = multiplyTransposed(sigma1, n, sigma2, n, n);
  const rows = Array.from({ length: n }, (_, i) => Array.from(product.subarray(i * n, (i + 1) * n)));
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: false });
  const real = decomposition.realEigenvalues;
  const imaginary = decomposition.imaginaryEigenvalues;
  let trace = 0;
  for (let i = 0; i < n; i++) {
    // Re sqrt(a + bi) = sqrt((|z| + a) / 2), which is 0 for a negative real eigenvalue.
    trace += Math.sqrt(Math.max(0, (Math.hypot(real[i], imaginary[i]) + real[i]) / 2));
  }
  return trace;
}
