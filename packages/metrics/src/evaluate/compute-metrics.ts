import type { InceptionFeatureExtractor } from '../inception/fid-inception-v3.js';
import { frechetDistance, type FrechetDistanceOptions } from '../scores/frechet-distance.js';
import { inceptionScore, type InceptionScore, type InceptionScoreOptions } from '../scores/inception-score.js';
import { kernelInceptionDistance, type KernelInceptionDistance, type KernelInceptionDistanceOptions } from '../scores/kernel-inception-distance.js';
import { precisionRecall, type PrecisionRecall, type PrecisionRecallOptions } from '../scores/precision-recall.js';
import { validateStatistics, type FeatureStatistics } from '../statistics/feature-statistics.js';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import { collectFeatures, type CollectedFeatures } from './collect-features.js';
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
  const wanted = checkMetrics(metrics);
  checkReference(wanted, reference);
  let done = 0;
  let collected;
  try {
    collected = await collectFeatures({
      images,
      extractor,
      maxBatch,
      keepLogits: wanted.has('is'),
      keepFeatures: wanted.has('kid') || wanted.has('pr'),
      onImages: (n) => {
        done = n;
        onProgress?.({ stage: 'features', images: done, total });
      },
    });
  } catch (error) {
    if (/at least 2 images/.test((error as Error).message)) throw new Error(`metrics need at least 2 generated images, got ${done}`);
    throw error;
  }
  return scoreFeatures(collected, { ...options, onStage: (stage) => onProgress?.({ stage, images: done, total }) });
}

export interface ScoreFeaturesOptions {
  reference?: ReferenceSet;
  metrics: readonly MetricName[];
  fid?: FrechetDistanceOptions;
  is?: InceptionScoreOptions;
  kid?: KernelInceptionDistanceOptions;
  pr?: PrecisionRecallOptions;
  onStage?: (stage: MetricName) => void;
}

/**
 * The scores from what a pass through the network kept (`collectFeatures`, or shards merged with
 * `mergeMetricShards`): FID from the statistics, IS from the logits in image order, KID and
 * precision/recall from the pool features.
 */
export async function scoreFeatures(collected: CollectedFeatures, { reference, metrics, onStage, ...options }: ScoreFeaturesOptions): Promise<MetricsResult> {
  const wanted = checkMetrics(metrics);
  checkReference(wanted, reference);
  const { count, statistics, logits, features } = collected;
  if (wanted.has('is') && !logits) throw new Error("is needs the per-image logits ('logits_unbiased'), which were not kept");
  if ((wanted.has('kid') || wanted.has('pr')) && !features) throw new Error("kid and pr need the per-image '2048' features, which were not kept");
  const result: MetricsResult = { count, statistics };
  if (wanted.has('fid')) {
    onStage?.('fid');
    const referenceStatistics = reference!.statistics ?? new StatisticsAccumulator(2048).add(reference!.features!).statistics();
    result.fid = frechetDistance(statistics, referenceStatistics, options.fid);
  }
  if (wanted.has('is')) {
    onStage?.('is');
    result.is = inceptionScore(logits!, 1008, options.is);
  }
  if (wanted.has('kid')) {
    onStage?.('kid');
    result.kid = kernelInceptionDistance(reference!.features!, features!, 2048, options.kid);
  }
  if (wanted.has('pr')) {
    onStage?.('pr');
    result.pr = await precisionRecall(reference!.features!, features!, 2048, options.pr);
  }
  return result;
}

function checkMetrics(metrics: readonly MetricName[]): Set<MetricName> {
  const wanted = new Set(metrics);
  for (const name of wanted) if (!known.includes(name)) throw new Error(`unknown metric "${name}": choose from ${known.join(', ')}`);
  return wanted;
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
      throw new Error(
        `reference statistics are ${reference.statistics.dim}-d; FID uses Inception's 2048-d pool features — were they computed from another layer?`,
      );
    }
    validateStatistics(reference.statistics, 'reference statistics');
  }
  if (reference?.features && reference.features.length % 2048 !== 0) {
    throw new Error(`reference features have ${reference.features.length} values, not [N, 2048]`);
  }
}
