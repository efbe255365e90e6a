import { addGramUpper } from '../linalg/multiply-transposed.js';
import type { FeatureStatistics } from './feature-statistics.js';

/** A batch of feature vectors: [B, D] row-major values. */
export type FeatureRows = Float32Array | Float64Array;

/**
 * Streaming mean and covariance in float64 over any number of feature batches, mergeable
 * across shards (Chan, Golub & LeVeque's pairwise update): each batch is centred on its own
 * mean and its scatter matrix added with the correction `δδᵀ·n_a·n_b/(n_a+n_b)`, so no large
 * sums of squares cancel. The result equals `np.mean` / `np.cov(rowvar=False)` of all rows to
 * float64 round-off, whatever the batching.
 *
 * @example
 * const acc = new StatisticsAccumulator(2048);
 * for await (const batch of featureBatches) acc.add(batch); // Float32Array [B·2048]
 * const stats = acc.statistics(); // { mean, covariance (ddof 1), count }
 */
export class StatisticsAccumulator {
  /** Number of feature vectors added. */
  count = 0;
  private readonly sum: Float64Array;
  /** Σ (x − mean)(x − mean)ᵀ, upper triangle only until read. [D, D] */
  private readonly scatter: Float64Array;

  constructor(readonly dim: number) {
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`feature width must be a positive integer, got ${dim}`);
    this.sum = new Float64Array(dim);
    this.scatter = new Float64Array(dim * dim);
  }

  /** The running mean. [D] */
  get mean(): Float64Array {
    return this.sum.map((value) => (this.count > 0 ? value / this.count : 0));
  }

  /** Adds B feature vectors. rows: [B, D] row-major (B = rows.length / D). */
  add(rows: FeatureRows): this {
    const d = this.dim;
    if (rows.length % d !== 0) {
      throw new Error(`feature batch has ${rows.length} values, not a multiple of the feature width ${d}: expected [B, ${d}]`);
    }
    const b = rows.length / d;
    if (b === 0) return this;
    for (let i = 0; i < rows.length; i++) {
      if (!Number.isFinite(rows[i])) {
        throw new Error(
          `feature batch row ${Math.floor(i / d)} has a non-finite value (${rows[i]}) at column ${i % d}; the network produced NaN/Inf — check the images and weights`,
        );
      }
    }
    // Batch mean and the batch rows centred on it, transposed ([D, B]) so scatter entries are contiguous dots.
    const batchMean = new Float64Array(d);
    for (let r = 0; r < b; r++) for (let j = 0; j < d; j++) batchMean[j] += rows[r * d + j];
    for (let j = 0; j < d; j++) batchMean[j] /= b;
    const centred = new Float64Array(d * b);
    for (let r = 0; r < b; r++) for (let j = 0; j < d; j++) centred[j * b + r] = rows[r * d + j] - batchMean[j];
    addGramUpper(this.scatter, centred, d, b);
    this.combine(b, batchMean, null);
    return this;
  }

  /**
   * Folds in another accumulator or statistics with a known `count` (a shard computed
   * elsewhere). Statistics without a count (a plain numpy `.npz`) cannot be merged.
   */
  merge(other: StatisticsAccumulator | FeatureStatistics): this {
    if (other.dim !== this.dim) throw new Error(`cannot merge ${other.dim}-d statistics into ${this.dim}-d ones`);
    const count = other.count;
    if (count === undefined || !Number.isInteger(count) || count < 0) {
      throw new Error('cannot merge statistics whose sample count is unknown: shards must be saved with their count (saveStatistics writes num_samples)');
    }
    if (count === 0) return this;
    const mean = other.mean;
    const d = this.dim;
    const otherScatter = new Float64Array(d * d);
    if (other instanceof StatisticsAccumulator) {
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) otherScatter[i * d + j] = other.scatter[i * d + j];
    } else {
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) otherScatter[i * d + j] = other.covariance[i * d + j] * (count - 1);
    }
    this.combine(count, mean, otherScatter);
    return this;
  }

  /** Chan et al.: merge a part of `count` rows with mean `partMean` (and scatter, if not yet added). */
  private combine(count: number, partMean: Float64Array, partScatter: Float64Array | null): void {
    const d = this.dim;
    const total = this.count + count;
    if (this.count > 0) {
      const weight = (this.count * count) / total;
      const ownMean = this.mean;
      const delta = new Float64Array(d);
      for (let j = 0; j < d; j++) delta[j] = partMean[j] - ownMean[j];
      for (let i = 0; i < d; i++) {
        const di = delta[i] * weight;
        for (let j = i; j < d; j++) this.scatter[i * d + j] += di * delta[j];
      }
    }
    if (partScatter) for (let i = 0; i < d; i++) for (let j = i; j < d; j++) this.scatter[i * d + j] += partScatter[i * d + j];
    for (let j = 0; j < d; j++) this.sum[j] += partMean[j] * count;
    this.count = total;
  }

  /** Mean and unbiased covariance of everything added. Needs at least 2 vectors. */
  statistics(): FeatureStatistics {
    if (this.count < 2) {
      throw new Error(`a covariance needs at least 2 feature vectors, got ${this.count}: evaluate more images`);
    }
    const d = this.dim;
    const covariance = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const value = this.scatter[i * d + j] / (this.count - 1);
        covariance[i * d + j] = value;
        covariance[j * d + i] = value;
      }
    }
    return { dim: d, mean: this.mean, covariance, count: this.count };
  }
}
