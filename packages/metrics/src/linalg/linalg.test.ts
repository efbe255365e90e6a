import { describe, expect, it } from 'vitest';
import { multiplyTransposed } from './multiply-transposed.js';
import { pivotedCholesky } from './pivoted-cholesky.js';
import { traceSqrtProduct, traceSqrtProductByEigvals } from './trace-sqrt-product.js';

/** A seeded [rows, cols] matrix of values in [−0.5, 0.5). */
function randomRows(rows: number, cols: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length: rows * cols }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

/** X Xᵀ / samples: a covariance of rank min(n, samples). → [n, n] */
function covariance(n: number, samples: number, seed: number): Float64Array {
  const x = randomRows(n, samples, seed);
  return multiplyTransposed(x, n, x, n, samples, { symmetric: true }).map((v) => v / samples);
}

describe('float64 linear algebra', () => {
  it('multiplyTransposed equals the naive product, odd sizes included', () => {
    const a = randomRows(5, 7, 1);
    const b = randomRows(3, 7, 2);
    const product = multiplyTransposed(a, 5, b, 3, 7);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let t = 0; t < 7; t++) sum += a[i * 7 + t] * b[j * 7 + t];
        expect(product[i * 3 + j]).toBeCloseTo(sum, 14);
      }
    }
  });

  it('pivoted Cholesky reconstructs a covariance and finds the rank of a singular one', () => {
    for (const [n, samples] of [
      [20, 50],
      [30, 12],
    ]) {
      const sigma = covariance(n, samples, 7);
      const { factor, permutation, rank } = pivotedCholesky(sigma, n);
      expect(rank).toBe(Math.min(n, samples));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let k = 0; k < rank; k++) sum += factor[i * n + k] * factor[j * n + k];
          expect(Math.abs(sum - sigma[permutation[i] * n + permutation[j]])).toBeLessThan(1e-14);
        }
      }
    }
  });

  it("tr sqrt(Σ1Σ2) by the symmetric route equals the general eigenvalues' (full rank and singular)", () => {
    for (const [n, samples] of [
      [48, 200],
      [48, 20],
    ]) {
      const sigma1 = covariance(n, samples, 3);
      const sigma2 = covariance(n, samples + 5, 4);
      const symmetric = traceSqrtProduct(sigma1, sigma2, n);
      const general = traceSqrtProductByEigvals(sigma1, sigma2, n);
      // Singular products have ~n−rank eigenvalues at round-off level; their square roots (~1e-8 each) differ between methods.
      expect(Math.abs(symmetric - general)).toBeLessThan(samples >= n ? 1e-12 : 1e-6);
    }
  });
});
