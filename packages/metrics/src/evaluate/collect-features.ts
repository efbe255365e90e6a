import type { InceptionFeature, InceptionFeatureExtractor } from '../inception/fid-inception-v3.js';
import type { FeatureStatistics } from '../statistics/feature-statistics.js';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import { extractFeatures } from './extract-features.js';
import { FeatureBuffer } from './feature-buffer.js';
import type { ImageSource } from './image-batches.js';

/** What the scores are computed from: everything one pass through the network keeps. */
export interface CollectedFeatures {
  count: number;
  /** Statistics of the '2048' features (needs at least 2 images). */
  statistics: FeatureStatistics;
  /** 'logits_unbiased' rows in image order, [N, 1008], when kept (IS). */
  logits?: Float32Array;
  /** '2048' rows in image order, [N, 2048], when kept (KID, precision/recall). */
  features?: Float32Array;
}

export interface CollectFeaturesOptions {
  images: ImageSource;
  extractor: InceptionFeatureExtractor;
  /** Keep the per-image logits (4 KB per image). */
  keepLogits?: boolean;
  /** Keep the per-image pool features (8 KB per image). */
  keepFeatures?: boolean;
  maxBatch?: number;
  onImages?: (done: number) => void;
}

/**
 * One pass of images through the FID Inception network: float64 statistics of the '2048'
 * features, plus the per-image rows the other scores need. A shard of a sample set saves this.
 */
export async function collectFeatures({
  images,
  extractor,
  keepLogits = false,
  keepFeatures = false,
  maxBatch,
  onImages,
}: CollectFeaturesOptions): Promise<CollectedFeatures> {
  const accumulator = new StatisticsAccumulator(2048);
  const pool = keepFeatures ? new FeatureBuffer(2048) : undefined;
  const logits = keepLogits ? new FeatureBuffer(1008) : undefined;
  const features: InceptionFeature[] = keepLogits ? ['2048', 'logits_unbiased'] : ['2048'];
  const count = await extractFeatures({
    images,
    extractor,
    features,
    maxBatch,
    onFeatures: (batch) => {
      accumulator.add(batch['2048']!);
      pool?.push(batch['2048']!);
      logits?.push(batch.logits_unbiased!);
    },
    onImages,
  });
  if (count < 2) throw new Error(`feature statistics need at least 2 images, got ${count}`);
  return { count, statistics: accumulator.statistics(), logits: logits?.concat(), features: pool?.concat() };
}
