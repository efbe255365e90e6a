import { readNpz, writeNpz, type ByteSource, type RawTensor } from '@pixelrepa/io';
import { validateStatistics, type FeatureStatistics } from './feature-statistics.js';

/**
 * Statistics as an `.npz` in the layout of JiT's `jit_in256_stats.npz` (and torch-fidelity's
 * caches): `mu` float32 [D] and `sigma` float64 [D, D]. Two extra arrays make a file a mergeable
 * shard and keep the mean exact: `num_samples` int64 scalar and `mu_f64` float64 [D]. Readers
 * that only look up `mu` and `sigma` (numpy's `np.load(f)['mu']`) are unaffected.
 *
 * `mu` must be float32: torch-fidelity asserts both means have the same dtype, and the means it
 * computes from features are float32.
 */
export function statisticsToNpz(stats: FeatureStatistics): Uint8Array {
  validateStatistics(stats);
  const arrays = new Map<string, RawTensor>([
    ['mu', { dtype: 'F32', shape: [stats.dim], data: Float32Array.from(stats.mean) }],
    ['sigma', { dtype: 'F64', shape: [stats.dim, stats.dim], data: Float64Array.from(stats.covariance) }],
    ['mu_f64', { dtype: 'F64', shape: [stats.dim], data: Float64Array.from(stats.mean) }],
  ]);
  if (stats.count !== undefined) arrays.set('num_samples', { dtype: 'I64', shape: [], data: BigInt64Array.of(BigInt(stats.count)) });
  return writeNpz(arrays);
}

/**
 * Reads statistics from an `.npz` with `mu` and `sigma` (any float dtype; widened to float64),
 * validating them (finite, symmetric sigma of the right size). `expectedDim` (e.g. 2048) turns
 * a file of another feature into a clear error.
 */
export function statisticsFromNpz(
  input: Uint8Array | ByteSource,
  { expectedDim, what = 'statistics file' }: { expectedDim?: number; what?: string } = {},
): FeatureStatistics {
  const arrays = readNpz(input);
  const mu = arrays.get('mu');
  const sigma = arrays.get('sigma');
  if (!mu || !sigma) {
    throw new Error(
      `${what} has no ${!mu ? '"mu"' : '"sigma"'} array (found: ${[...arrays.keys()].join(', ') || 'nothing'}); FID statistics are an .npz with mu [D] and sigma [D, D]`,
    );
  }
  if (mu.shape.length !== 1) throw new Error(`${what}: mu must be 1-D [D], got shape [${mu.shape.join(', ')}]`);
  const dim = mu.shape[0];
  if (sigma.shape.length !== 2 || sigma.shape[0] !== dim || sigma.shape[1] !== dim) {
    throw new Error(`${what}: sigma must be [${dim}, ${dim}] to match mu, got [${sigma.shape.join(', ')}]`);
  }
  if (expectedDim !== undefined && dim !== expectedDim) {
    throw new Error(
      `${what} holds ${dim}-d statistics, but ${expectedDim}-d ones are needed (FID uses Inception's '2048' pool features); was it computed from another layer or network?`,
    );
  }
  const exactMean = arrays.get('mu_f64');
  const count = arrays.get('num_samples');
  const stats: FeatureStatistics = {
    dim,
    mean: toFloat64(exactMean && exactMean.shape[0] === dim ? exactMean : mu, 'mu', what),
    covariance: toFloat64(sigma, 'sigma', what),
    count: count ? Number((count.data as ArrayLike<number | bigint>)[0]) : undefined,
  };
  validateStatistics(stats, what);
  return stats;
}

function toFloat64(raw: RawTensor, name: string, what: string): Float64Array {
  if (raw.dtype === 'F64') return raw.data as Float64Array;
  if (raw.dtype === 'F32') return Float64Array.from(raw.data as Float32Array);
  throw new Error(`${what}: ${name} has dtype ${raw.dtype}; expected float32 or float64`);
}
