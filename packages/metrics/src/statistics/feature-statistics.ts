/**
 * Mean and covariance of a set of feature vectors: what FID compares, and what a reference
 * `.npz` (`mu`, `sigma`) holds.
 */
export interface FeatureStatistics {
  /** Feature width D. */
  dim: number;
  /** [D] float64 */
  mean: Float64Array;
  /** [D, D] row-major float64, unbiased (ddof = 1, like `np.cov(features, rowvar=False)`). */
  covariance: Float64Array;
  /** How many feature vectors went in, when known (numpy-written files do not record it). */
  count?: number;
}

/**
 * Checks that statistics can enter a Fréchet distance: D ≥ 1, `mean` [D] and `covariance`
 * [D, D] finite, covariance symmetric (to 1e-6 of its largest entry) with a non-negative
 * diagonal. `what` names them in the error ("reference statistics").
 */
export function validateStatistics(stats: FeatureStatistics, what = 'statistics'): void {
  const { dim, mean, covariance } = stats;
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${what}: feature width must be a positive integer, got ${dim}`);
  if (mean.length !== dim) throw new Error(`${what}: mean has ${mean.length} values but the feature width is ${dim}`);
  if (covariance.length !== dim * dim) {
    throw new Error(`${what}: covariance has ${covariance.length} values, expected ${dim}×${dim} = ${dim * dim}`);
  }
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(mean[i])) throw new Error(`${what}: mean[${i}] is ${mean[i]}; statistics must be finite (were non-finite features accumulated?)`);
  }
  let largest = 0;
  for (let i = 0; i < covariance.length; i++) {
    const value = covariance[i];
    if (!Number.isFinite(value)) {
      throw new Error(`${what}: covariance[${Math.floor(i / dim)}, ${i % dim}] is ${value}; statistics must be finite (were non-finite features accumulated?)`);
    }
    largest = Math.max(largest, Math.abs(value));
  }
  for (let i = 0; i < dim; i++) {
    if (covariance[i * dim + i] < 0)
      throw new Error(`${what}: covariance has a negative variance at [${i}, ${i}] (${covariance[i * dim + i]}); it is not a covariance matrix`);
    for (let j = 0; j < i; j++) {
      const gap = Math.abs(covariance[i * dim + j] - covariance[j * dim + i]);
      if (gap > 1e-6 * largest) {
        throw new Error(
          `${what}: covariance is not symmetric: [${i}, ${j}] = ${covariance[i * dim + j]} but [${j}, ${i}] = ${covariance[j * dim + i]}; is the file's sigma stored transposed or corrupted?`,
        );
      }
    }
  }
}

/** The covariance made exactly symmetric ((Σ + Σᵀ)/2); returns the input itself when it already is. */
export function symmetrised(covariance: Float64Array, dim: number): Float64Array {
  let exact = true;
  for (let i = 0; i < dim && exact; i++)
    for (let j = 0; j < i; j++)
      if (covariance[i * dim + j] !== covariance[j * dim + i]) {
        exact = false;
        break;
      }
  if (exact) return covariance;
  const out = new Float64Array(covariance);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) {
      const average = 0.5 * (covariance[i * dim + j] + covariance[j * dim + i]);
      out[i * dim + j] = average;
      out[j * dim + i] = average;
    }
  }
  return out;
}
