import { describe, expect, it } from 'vitest';
import { StatisticsAccumulator } from './statistics-accumulator.js';

/** Seeded features [n, d] around `offset` (a large offset tests cancellation). */
function features(n: number, d: number, seed: number, offset = 0): Float32Array {
  let state = seed;
  return Float32Array.from({ length: n * d }, (_, i) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return offset + (state / 2 ** 32) * (1 + (i % d) / d);
  });
}

/** Two-pass mean and ddof-1 covariance in float64 (numpy's np.mean / np.cov(rowvar=False)). */
function twoPass(x: Float32Array, d: number): { mean: Float64Array; covariance: Float64Array } {
  const n = x.length / d;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j] / n;
  const covariance = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) covariance[i * d + j] += ((x[r * d + i] - mean[i]) * (x[r * d + j] - mean[j])) / (n - 1);
  }
  return { mean, covariance };
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('streaming feature statistics', () => {
  const d = 12;
  const x = features(300, d, 1, 1000);
  const reference = twoPass(x, d);

  it('equals the two-pass mean and covariance whatever the batching, even far from zero', () => {
    for (const batch of [1, 7, 64, 300]) {
      const accumulator = new StatisticsAccumulator(d);
      for (let start = 0; start < 300; start += batch) accumulator.add(x.subarray(start * d, Math.min(300, start + batch) * d));
      const stats = accumulator.statistics();
      expect(stats.count).toBe(300);
      expect(maxAbsDifference(stats.mean, reference.mean)).toBeLessThan(1e-10);
      expect(maxAbsDifference(stats.covariance, reference.covariance)).toBeLessThan(1e-12);
    }
  });

  it('merges shards (accumulators or saved statistics) into the statistics of the union', () => {
    const a = new StatisticsAccumulator(d).add(x.subarray(0, 100 * d));
    const b = new StatisticsAccumulator(d).add(x.subarray(100 * d, 250 * d));
    const c = new StatisticsAccumulator(d).add(x.subarray(250 * d));
    const merged = new StatisticsAccumulator(d).merge(a).merge(b.statistics()).merge(c).statistics();
    expect(merged.count).toBe(300);
    expect(maxAbsDifference(merged.mean, reference.mean)).toBeLessThan(1e-10);
    expect(maxAbsDifference(merged.covariance, reference.covariance)).toBeLessThan(1e-12);
  });

  it('explains bad input: wrong width, non-finite values, too few samples, unknown shard size', () => {
    const accumulator = new StatisticsAccumulator(4);
    expect(() => accumulator.add(new Float32Array(6))).toThrow(/6 values, not a multiple of the feature width 4/);
    expect(() => accumulator.add(Float32Array.of(0, 1, NaN, 2))).toThrow(/row 0 has a non-finite value \(NaN\) at column 2/);
    accumulator.add(new Float32Array(4));
    expect(() => accumulator.statistics()).toThrow(/at least 2 feature vectors, got 1/);
    const unknownCount = { dim: 4, mean: new Float64Array(4), covariance: new Float64Array(16) };
    expect(() => accumulator.merge(unknownCount)).toThrow(/sample count is unknown/);
    expect(() => accumulator.merge(new StatisticsAccumulator(3))).toThrow(/3-d statistics into 4-d/);
  });
});
