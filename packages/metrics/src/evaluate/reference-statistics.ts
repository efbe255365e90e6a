import type { InceptionFeatureExtractor } from '../inception/fid-inception-v3.js';
import type { FeatureStatistics } from '../statistics/feature-statistics.js';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import { extractFeatures } from './extract-features.js';
import { FeatureBuffer } from './feature-buffer.js';
import type { ImageSource } from './image-batches.js';

/**
 * What generated images are compared with: pool-feature statistics (enough for FID) and,
 * for KID and precision/recall, the pool features themselves.
 */
export interface ReferenceSet {
  statistics?: FeatureStatistics;
  /** [N, 2048] row-major Inception '2048' features. */
  features?: Float32Array;
}

export interface ReferenceStatisticsOptions {
  /** uint8 [B, H, W, 3] batches of the reference images (e.g. `@pixelrepa/data`'s image folder). */
  images: ImageSource;
  /** The FID Inception network (`loadFidInceptionV3`). */
  extractor: InceptionFeatureExtractor;
  /** Also return the features (needed for KID and precision/recall; 8 KB per image). */
  keepFeatures?: boolean;
  onProgress?: (progress: { images: number }) => void;
  maxBatch?: number;
}

/**
 * Turns reference images into a `ReferenceSet`: streaming float64 statistics of Inception's
 * '2048' features (save them with `statisticsToNpz`), plus the features when asked.
 * For a dataset split across machines, run this per shard and `mergeStatistics` the results.
 *
 * @example
 * const { statistics } = await computeReferenceStatistics({ images: folderBatches, extractor });
 * writeFileSync('in256_stats.npz', statisticsToNpz(statistics));
 */
export async function computeReferenceStatistics({
  images,
  extractor,
  keepFeatures = false,
  onProgress,
  maxBatch,
}: ReferenceStatisticsOptions): Promise<Required<Pick<ReferenceSet, 'statistics'>> & ReferenceSet> {
  const accumulator = new StatisticsAccumulator(2048);
  const buffer = keepFeatures ? new FeatureBuffer(2048) : undefined;
  await extractFeatures({
    images,
    extractor,
    features: ['2048'],
    maxBatch,
    onFeatures: (features) => {
      accumulator.add(features['2048']!);
      buffer?.push(features['2048']!);
    },
    onImages: (done) => onProgress?.({ images: done }),
  });
  return { statistics: accumulator.statistics(), features: buffer?.concat() };
}

/**
 * Statistics of the union of several shards (each saved with its count), exactly as if computed
 * in one pass. @example mergeStatistics(shardFiles.map((bytes) => statisticsFromNpz(bytes)))
 */
export function mergeStatistics(shards: readonly FeatureStatistics[]): FeatureStatistics {
  if (shards.length === 0) throw new Error('mergeStatistics needs at least one shard');
  const accumulator = new StatisticsAccumulator(shards[0].dim);
  shards.forEach((shard, i) => {
    if (shard.dim !== accumulator.dim) throw new Error(`shard ${i} is ${shard.dim}-d but shard 0 is ${accumulator.dim}-d`);
    accumulator.merge(shard);
  });
  return accumulator.statistics();
}
