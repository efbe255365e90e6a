import { multiplyTransposed } from '../linalg/multiply-transposed.js';
import { NumpyRandomState } from '../random/numpy-random-state.js';

export interface KernelInceptionDistanceOptions {
  /** Number of random subsets (default 100). */
  subsets?: number;
  /** Rows per subset (default 1000, or the smaller set's size when it has fewer). */
  subsetSize?: number;
  /** Polynomial kernel `(γ·x·y + coef0)^degree`; defaults 3, 1/D, 1. */
  degree?: number;
  gamma?: number;
  coef0?: number;
  /** numpy `RandomState` seed of the subset draws (default 2020, torch-fidelity's `rng_seed`). */
  seed?: number;
  /**
   * Up to this many kernel entries (n1² + n2² + n1·n2, default 24M ≈ 190 MB) are computed once
   * for all rows; above it, per subset.
   */
  fullGramLimit?: number;
}

export interface KernelInceptionDistance {
  mean: number;
  /** Population standard deviation over subsets (np.std, ddof 0). */
  std: number;
  /** The unbiased MMD² of each subset. */
  subsetValues: Float64Array;
  subsetSize: number;
}

/**
 * The Kernel Inception Distance, torch-fidelity's `kid_features_to_metric`: for each subset
 * draw `choice(n1, m, replace=False)` then `choice(n2, m, replace=False)` from one
 * `RandomState(seed)`, and take the unbiased MMD² with the cubic polynomial kernel:
 * `(ΣK_xx − tr + ΣK_yy − tr)/(m(m−1)) − 2ΣK_xy/m²`. Mean and std over subsets. Arithmetic is
 * float64 (torch-fidelity's is float32; the two differ by ~1e-8 on typical features).
 *
 * a: [n1, D], b: [n2, D] row-major
 */
export function kernelInceptionDistance(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  dim: number,
  options: KernelInceptionDistanceOptions = {},
): KernelInceptionDistance {
  if (a.length % dim !== 0 || b.length % dim !== 0) throw new Error(`KID features must be [N, ${dim}]: got ${a.length} and ${b.length} values`);
  const n1 = a.length / dim;
  const n2 = b.length / dim;
  if (Math.min(n1, n2) < 2) throw new Error(`KID needs at least 2 feature vectors in each set, got ${n1} and ${n2}`);
  const { subsets = 100, degree = 3, gamma = 1 / dim, coef0 = 1, seed = 2020, fullGramLimit = 24_000_000 } = options;
  const subsetSize = options.subsetSize ?? Math.min(1000, n1, n2);
  if (subsetSize > n1 || subsetSize > n2 || subsetSize < 2) {
    throw new Error(`KID subset size ${subsetSize} must be between 2 and the number of samples in each set (${n1}, ${n2}); lower subsetSize`);
  }
  const power = degree === 3 ? (t: number) => t * t * t : (t: number) => t ** degree;
  const kernel = (dots: Float64Array) => dots.map((dot) => power(dot * gamma + coef0));
  // With few rows, every kernel value is computed once and subsets only sum look-ups.
  const fullGram = n1 * n1 + n2 * n2 + n1 * n2 <= fullGramLimit;
  const k11 = fullGram ? kernel(multiplyTransposed(a, n1, a, n1, dim, { symmetric: true })) : null;
  const k22 = fullGram ? kernel(multiplyTransposed(b, n2, b, n2, dim, { symmetric: true })) : null;
  const k12 = fullGram ? kernel(multiplyTransposed(a, n1, b, n2, dim)) : null;
  const random = new NumpyRandomState(seed);
  const m = subsetSize;
  const subsetValues = new Float64Array(subsets);
  for (let s = 0; s < subsets; s++) {
    const rows1 = random.choiceWithoutReplacement(n1, m);
    const rows2 = random.choiceWithoutReplacement(n2, m);
    const sumXX = fullGram ? sumPicked(k11!, n1, rows1, rows1, true) : sumAll(kernel(gramOf(a, rows1, a, rows1, dim, true)), m, true);
    const sumYY = fullGram ? sumPicked(k22!, n2, rows2, rows2, true) : sumAll(kernel(gramOf(b, rows2, b, rows2, dim, true)), m, true);
    const sumXY = fullGram ? sumPicked(k12!, n2, rows1, rows2, false) : sumAll(kernel(gramOf(a, rows1, b, rows2, dim)), m, false);
    subsetValues[s] = (sumXX + sumYY) / (m * (m - 1)) - (2 * sumXY) / (m * m);
  }
  const mean = subsetValues.reduce((x, y) => x + y, 0) / subsets;
  const std = Math.sqrt(subsetValues.reduce((x, y) => x + (y - mean) ** 2, 0) / subsets);
  return { mean, std, subsetValues, subsetSize };
}

/** Σ over i, j (j ≠ i when `offDiagonal`) of k[rows[i], cols[j]] for a [*, width] kernel matrix. */
function sumPicked(k: Float64Array, width: number, rows: Int32Array, cols: Int32Array, offDiagonal: boolean): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * width;
    let rowSum = 0;
    for (let j = 0; j < cols.length; j++) rowSum += k[base + cols[j]];
    sum += offDiagonal ? rowSum - k[base + cols[i]] : rowSum;
  }
  return sum;
}

/** Σ of an [m, m] matrix (without its diagonal when `offDiagonal`). */
function sumAll(k: Float64Array, m: number, offDiagonal: boolean): number {
  let sum = 0;
  for (let i = 0; i < k.length; i++) sum += k[i];
  if (offDiagonal) for (let i = 0; i < m; i++) sum -= k[i * m + i];
  return sum;
}

/** Dot products of selected rows of x and y. → [rowsX, rowsY] */
function gramOf(
  x: Float32Array | Float64Array,
  rowsX: Int32Array,
  y: Float32Array | Float64Array,
  rowsY: Int32Array,
  dim: number,
  symmetric = false,
): Float64Array {
  const left = gather(x, rowsX, dim);
  const right = symmetric ? left : gather(y, rowsY, dim);
  return multiplyTransposed(left, rowsX.length, right, rowsY.length, dim, { symmetric });
}

function gather(x: Float32Array | Float64Array, rows: Int32Array, dim: number): Float64Array {
  const out = new Float64Array(rows.length * dim);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * dim, (rows[i] + 1) * dim), i * dim);
  return out;
}
