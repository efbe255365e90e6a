// @pixelrepa/metrics — FID / IS / KID / precision-recall as torch-fidelity computes them.

// The FID Inception network (torch-fidelity's inception-v3-compat) and its weights.
export {
  FidInceptionV3,
  INCEPTION_FEATURES,
  INCEPTION_FEATURE_SIZES,
  INCEPTION_INPUT_SIZE,
  type InceptionFeature,
  type InceptionForwardOptions,
  type InceptionFeatureExtractor,
} from './inception/fid-inception-v3.js';
export {
  loadFidInceptionV3,
  readFidInceptionWeights,
  FID_INCEPTION_WEIGHTS,
  type FidInceptionWeightsSource,
  type WeightsResolver,
  type WeightsFile,
} from './inception/weights.js';
export { resizeBilinearTf1 } from './inception/resize-tf1.js';
export { BasicConv2d, INCEPTION_BATCH_NORM_EPS } from './inception/basic-conv2d.js';

// Feature statistics: streaming, mergeable, .npz files.
export { type FeatureStatistics, validateStatistics } from './statistics/feature-statistics.js';
export { StatisticsAccumulator, type FeatureRows } from './statistics/statistics-accumulator.js';
export { statisticsToNpz, statisticsFromNpz } from './statistics/statistics-file.js';

// Scores from features or statistics.
export { frechetDistance, type FrechetDistanceOptions } from './scores/frechet-distance.js';
export { inceptionScore, type InceptionScore, type InceptionScoreOptions } from './scores/inception-score.js';
export { kernelInceptionDistance, type KernelInceptionDistance, type KernelInceptionDistanceOptions } from './scores/kernel-inception-distance.js';
export { precisionRecall, type PrecisionRecall, type PrecisionRecallOptions } from './scores/precision-recall.js';

// Whole evaluations over image batches.
export {
  computeMetrics,
  scoreFeatures,
  type ScoreFeaturesOptions,
  type ComputeMetricsOptions,
  type MetricsResult,
  type MetricName,
  type MetricsProgress,
  type MetricsStage,
} from './evaluate/compute-metrics.js';
export { computeReferenceStatistics, mergeStatistics, type ReferenceSet, type ReferenceStatisticsOptions } from './evaluate/reference-statistics.js';
export { extractFeatures, type ExtractFeaturesOptions } from './evaluate/extract-features.js';
export { collectFeatures, type CollectedFeatures, type CollectFeaturesOptions } from './evaluate/collect-features.js';

// Evaluations split across processes: shard files and their exact merge.
export { metricShardToNpz, metricShardFromNpz, type MetricShard } from './shards/metric-shard.js';
export { mergeMetricShards, type NamedShard } from './shards/merge-shards.js';
export { type ImageBatch, type ImageSource } from './evaluate/image-batches.js';

// numpy-exact randomness (the IS shuffle and KID subsets).
export { NumpyRandomState } from './random/numpy-random-state.js';
export { Mt19937 } from './random/mt19937.js';

// float64 linear algebra behind FID.
export { traceSqrtProduct, traceSqrtProductByEigvals } from './linalg/trace-sqrt-product.js';
export { pivotedCholesky, type PivotedCholesky } from './linalg/pivoted-cholesky.js';
