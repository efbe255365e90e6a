import { describe, expect, it } from 'vitest';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import { inceptionScore } from '../scores/inception-score.js';
import type { CollectedFeatures } from '../evaluate/collect-features.js';
import { mergeMetricShards, type NamedShard } from './merge-shards.js';
import { metricShardFromNpz, metricShardToNpz, type MetricShard } from './metric-shard.js';

/** Seeded rows in [0, 1): [n, width]. */
function rows(n: number, width: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: n * width }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) / 2 ** 24;
  });
}

function largestDifference(a: Float64Array, b: Float64Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

const total = 23;
// Narrow features keep the test quick; the files and the merge do not depend on the width.
const dim = 16;
const classes = 10;
const pool = rows(total, dim, 1);
const logits = rows(total, classes, 2);
const settings = JSON.stringify({ checkpoint: 'run (ours, step 2)', seed: 0, cfg: 2 });

function collected(start: number, end: number): CollectedFeatures {
  const features = pool.slice(start * dim, end * dim);
  return {
    count: end - start,
    statistics: new StatisticsAccumulator(dim).add(features).statistics(),
    features,
    logits: logits.slice(start * classes, end * classes),
  };
}

/** Shards through their .npz files, as the merge command reads them. */
function shardFiles(bounds: number[], options: { settings?: string[] } = {}): NamedShard[] {
  return bounds.slice(0, -1).map((start, k) => {
    const shard: MetricShard = { ...collected(start, bounds[k + 1]), start, end: bounds[k + 1], total, settings: options.settings?.[k] ?? settings };
    return { name: `shard-${k}.npz`, shard: metricShardFromNpz(metricShardToNpz(shard), `shard-${k}.npz`, { expectedDim: dim }) };
  });
}

describe('mergeMetricShards', () => {
  it('gives the one-pass statistics to float64 round-off and the exact per-image rows, whatever the order of the files', () => {
    const merged = mergeMetricShards(shardFiles([0, 7, 9, 15, 23]).reverse());
    const whole = collected(0, total);
    expect(merged.count).toBe(total);
    expect(Array.from(merged.logits!)).toEqual(Array.from(logits));
    expect(Array.from(merged.features!)).toEqual(Array.from(pool));
    expect(largestDifference(merged.statistics.covariance, whole.statistics.covariance)).toBeLessThan(
      1e-13 * largestDifference(whole.statistics.covariance, new Float64Array(dim * dim)),
    );
    expect(largestDifference(merged.statistics.mean, whole.statistics.mean)).toBeLessThan(1e-15);
    expect(largestDifference(merged.statistics.covariance, whole.statistics.covariance)).toBeGreaterThanOrEqual(0);
    // IS sees the same rows in the same order as one pass: equal to the last bit (so do KID and precision/recall).
    expect(inceptionScore(merged.logits!, classes, { splits: 3 })).toEqual(inceptionScore(logits, classes, { splits: 3 }));
  });

  it('refuses overlapping, missing and mismatched shards, naming the files', () => {
    expect(() => mergeMetricShards(shardFiles([0, 8, 23]).concat(shardFiles([0, 10, 23]).slice(1)))).toThrow(
      /shard-1\.npz \(images 10…22\) overlaps shard-1\.npz \(images 8…22\)/,
    );
    expect(() => mergeMetricShards(shardFiles([0, 8, 15, 23]).filter((_, k) => k !== 1))).toThrow(
      /images 8…14 of 23 are in no shard \(missing before shard-2\.npz\)/,
    );
    expect(() => mergeMetricShards(shardFiles([0, 8, 15, 23]).slice(0, 2))).toThrow(/images 15…22 of 23 are in no shard/);
    const other = JSON.stringify({ checkpoint: 'run (ours, step 2)', seed: 1, cfg: 2 });
    expect(() => mergeMetricShards(shardFiles([0, 8, 23], { settings: [settings, other] }))).toThrow(
      /shard-1\.npz was made with other settings than shard-0\.npz: seed: 0 vs 1/,
    );
    expect(() => mergeMetricShards([])).toThrow(/no shards/);
  });

  it('a shard file is also an ordinary statistics file, and other .npz files are refused as shards', () => {
    const [{ shard }] = shardFiles([0, 23]);
    expect(shard.statistics.count).toBe(total);
    expect(() => metricShardFromNpz(new Uint8Array(0), 'x.npz')).toThrow();
  });
});
