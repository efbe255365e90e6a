import { describe, expect, it } from 'vitest';
import { readNpz, writeNpz } from '@pixelrepa/io';
import type { FeatureStatistics } from './feature-statistics.js';
import { StatisticsAccumulator } from './statistics-accumulator.js';
import { statisticsFromNpz, statisticsToNpz } from './statistics-file.js';

function sampleStatistics(): FeatureStatistics {
  const rows = Float32Array.from({ length: 40 * 3 }, (_, i) => Math.sin(i * 1.3) + (i % 3));
  return new StatisticsAccumulator(3).add(rows).statistics();
}

/** A numpy-style file: only mu (float32) and sigma (float64), like jit_in256_stats.npz. */
function numpyFile(mu: number[], sigma: number[], dim = mu.length): Uint8Array {
  return writeNpz({
    mu: { dtype: 'F32', shape: [dim], data: Float32Array.from(mu) },
    sigma: { dtype: 'F64', shape: [dim, dim], data: Float64Array.from(sigma) },
  });
}

describe('statistics files (.npz)', () => {
  it('writes mu float32 and sigma float64 (the reference-file layout) plus the count, and reads them back exactly', () => {
    const stats = sampleStatistics();
    const bytes = statisticsToNpz(stats);
    const arrays = readNpz(bytes);
    expect(arrays.get('mu')!.dtype).toBe('F32');
    expect(arrays.get('sigma')!.dtype).toBe('F64');
    expect(arrays.get('sigma')!.shape).toEqual([3, 3]);
    const back = statisticsFromNpz(bytes);
    expect(back.count).toBe(40);
    expect(back.mean).toEqual(stats.mean);
    expect(back.covariance).toEqual(stats.covariance);
  });

  it('reads numpy-written statistics without a count (usable for FID, not for merging)', () => {
    const stats = statisticsFromNpz(numpyFile([1, 2], [1, 0.5, 0.5, 2]));
    expect(stats.count).toBeUndefined();
    expect(Array.from(stats.mean)).toEqual([1, 2]);
    expect(() => new StatisticsAccumulator(2).merge(stats)).toThrow(/count is unknown/);
  });

  it('refuses files that cannot be FID statistics, saying why', () => {
    expect(() => statisticsFromNpz(numpyFile([1, 2], [1, 0, 0, 1]), { expectedDim: 2048 })).toThrow(/holds 2-d statistics, but 2048-d/);
    expect(() => statisticsFromNpz(numpyFile([1, 2], [1, 0.5, 0.2, 1]))).toThrow(/not symmetric/);
    expect(() => statisticsFromNpz(numpyFile([1, 2], [1, 0, 0, NaN]))).toThrow(/covariance\[1, 1\] is NaN/);
    expect(() => statisticsFromNpz(numpyFile([1, Infinity], [1, 0, 0, 1]))).toThrow(/mean\[1\] is Infinity/);
    expect(() => statisticsFromNpz(numpyFile([1, 2], [-1, 0, 0, 1]))).toThrow(/negative variance/);
    expect(() => statisticsFromNpz(writeNpz({ mu: { dtype: 'F32', shape: [2], data: new Float32Array(2) } }))).toThrow(/no "sigma" array \(found: mu\)/);
    expect(() =>
      statisticsFromNpz(
        writeNpz({
          mu: { dtype: 'F32', shape: [2], data: new Float32Array(2) },
          sigma: { dtype: 'F64', shape: [3, 3], data: new Float64Array(9) },
        }),
      ),
    ).toThrow(/sigma must be \[2, 2\]/);
  });
});
