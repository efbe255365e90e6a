import type { InceptionFeature, InceptionFeatureExtractor } from '../inception/fid-inception-v3.js';
import { frechetDistance, type FrechetDistanceOptions } from '../scores/frechet-distance.js';
import { inceptionScore, type InceptionScore, type InceptionScoreOptions } from '../scores/inception-score.js';
import { kernelInceptionDistance, type KernelInceptionDistance, type KernelInceptionDistanceOptions } from '../scores/kernel-inception-distance.js';
import { precisionRecall, type PrecisionRecall, type PrecisionRecallOptions } from '../scores/precision-recall.js';
import { validateStatistics, type FeatureStatistics } from '../statistics/feature-statistics.js';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import { extractFeatures } from './extract-features.js';
import { FeatureBuffer } from './feature-buffer.js';
import type { ImageSource } from './image-batches.js';
import type { ReferenceSet } from './reference-statistics.js';

export type MetricName = 'fid' | 'is' | 'kid' | 'pr';

export type MetricsStage = 'features' | MetricName;

export interface MetricsProgress {
  stage: MetricsStage;
  /** Images through the network so far. */
  images: number;
  /** `total` as given, when known. */
  total?: number;
}

export interface ComputeMetricsOptions {
  /** Generated images, uint8 [B, H, W, 3] batches (tensors stay the caller's). */
  images: ImageSource;
  /** Needed for 'fid' (statistics or features) and for 'kid' / 'pr' (features). */
  reference?: ReferenceSet;
  metrics: readonly MetricName[];
  /** The FID Inception network (`loadFidInceptionV3`). */
  extractor: InceptionFeatureExtractor;
  onProgress?: (progress: MetricsProgress) => void;
  /** Number of images expected, passed through to `onProgress`. */
  total?: number;
  /** Largest batch the network sees at once (default 16). */
  maxBatch?: number;
  fid?: FrechetDistanceOptions;
  is?: InceptionScoreOptions;
  kid?: KernelInceptionDistanceOptions;
  pr?: PrecisionRecallOptions;
}

export interface MetricsResult {
  /** Number of generated images evaluated. */
  count: number;
  /** Statistics of the generated images' '2048' features (save them to merge or reuse). */
  statistics: FeatureStatistics;
  fid?: number;
  is?: InceptionScore;
  kid?: KernelInceptionDistance;
  pr?: PrecisionRecall;
}

const known: readonly MetricName[] = ['fid', 'is', 'kid', 'pr'];

/**
 * FID, Inception Score, KID and precision/recall of generated images in one pass through the
 * FID Inception network, as torch-fidelity computes them (FID/KID/PR on '2048', IS on
 * 'logits_unbiased'). Statistics stream in float64; logits (IS) and features (KID, PR) are kept
 * only when those metrics are asked for (4 KB and 8 KB per image).
 *
 * @example
 * const result = await computeMetrics({
 *   images: sampleBatches,                       // AsyncIterable of uint8 [B, H, W, 3]
 *   reference: { statistics: statisticsFromNpz(readFileSync('jit_in256_stats.npz')) },
 *   metrics: ['fid', 'is'],
 *   extractor: await loadFidInceptionV3({ path }),
 *   onProgress: ({ stage, images }) => console.log(stage, images),
 * });
 * result.fid; result.is?.mean;
 */
export async function computeMetrics(options: ComputeMetricsOptions): Promise<MetricsResult> {
  const { images, reference, metrics, extractor, onProgress, total, maxBatch } = options;
  const wanted = new Set(metrics);
  for (const name of wanted) if (!known.includes(name)) throw new Error(`unknown metric "${name}": choose from ${known.join(', ')}`);
  checkReference(wanted, reference);
  const features: InceptionFeature[] = wanted.has('is') ? ['2048', 'logits_unbiased'] : ['2048'];
  const accumulator = new StatisticsAccumulator(2048);
  const pool = wanted.has('kid') || wanted.has('pr') ? new FeatureBuffer(2048) : undefined;
  const logits = wanted.has('is') ? new FeatureBuffer(1008) : undefined;
  let done = 0;
  const report = (stage: MetricsStage) => onProgress?.({ stage, images: done, total });
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
    onImages: (n) => {
      done = n;
      report('features');
    },
  });
  if (count < 2) throw new Error(`metrics need at least 2 generated images, got ${count}`);
  const statistics = accumulator.statistics();
  const result: MetricsResult = { count, statistics };
  if (wanted.has('fid')) {
    report('fid');
    const referenceStatistics = reference!.statistics ?? new StatisticsAccumulator(2048).add(reference!.features!).statistics();
    result.fid = frechetDistance(statistics, referenceStatistics, options.fid);
  }
  if (logits) {
    report('is');
    result.is = inceptionScore(logits.concat(), 1008, options.is);
  }
  const generated = pool?.concat();
  if (wanted.has('kid')) {
    report('kid');
    result.kid = kernelInceptionDistance(reference!.features!, generated!, 2048, options.kid);
  }
  if (wanted.has('pr')) {
    report('pr');
    result.pr = await precisionRecall(reference!.features!, generated!, 2048, options.pr);
  }
  return result;
}

/** Fails before any image is processed when the reference cannot serve the asked metrics. */
function checkReference(wanted: Set<MetricName>, reference: ReferenceSet | undefined): void {
  if (wanted.has('fid') && !reference?.statistics && !reference?.features) {
    throw new Error("'fid' needs reference statistics (e.g. statisticsFromNpz of the dataset's .npz) or reference features");
  }
  for (const name of ['kid', 'pr'] as const) {
    if (wanted.has(name) && !reference?.features) {
      throw new Error(`'${name}' needs the reference images' features, not only their statistics: computeReferenceStatistics({ keepFeatures: true })`);
    }
  }
  if (reference?.statistics) {
    if (reference.statistics.dim !== 2048) {
      throw new Error(`reference statistics are ${reference.statistics.dim}-d; FID uses Inception's 2048-d pool features — were they computed from another layer?`);
    }
    validateStatistics(reference.statistics, 'reference statistics');
  }
  if (reference?.features && reference.features.length % 2048 !== 0) {
    throw new Error(`reference features have ${reference.features.length} values, not [N, 2048]`);
  }
}
