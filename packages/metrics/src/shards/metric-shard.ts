import { readNpz, writeNpz, type ByteSource, type RawTensor } from '@pixelrepa/io';
import type { CollectedFeatures } from '../evaluate/collect-features.js';
import { statisticsFromNpz, statisticsToNpz } from '../statistics/statistics-file.js';

/**
 * One part of an evaluation done elsewhere: images [start, end) of `total`, what one pass through
 * the network kept for them, and the settings that made them (a JSON text that must be the same
 * for every shard of one evaluation: checkpoint, sampler, seed, image folder, …).
 */
export interface MetricShard extends CollectedFeatures {
  start: number;
  end: number;
  total: number;
  settings: string;
}

/**
 * A shard as an `.npz`: the statistics in `statisticsToNpz`'s layout (so it is also an ordinary
 * statistics file: `mu`, `sigma`, `mu_f64`, `num_samples`), plus `shard_range` int64
 * [start, end, total], `shard_settings` (the settings' UTF-8 bytes), and, when kept,
 * `logits_unbiased` float32 [n, C] (C = 1008 for Inception) and `pool_2048` float32 [n, D] in image order.
 */
export function metricShardToNpz(shard: MetricShard): Uint8Array {
  const n = shard.end - shard.start;
  if (shard.count !== n) throw new Error(`a shard of images ${shard.start}…${shard.end - 1} should hold ${n} images, but its statistics count ${shard.count}`);
  const arrays = readNpz(statisticsToNpz(shard.statistics));
  arrays.set('shard_range', { dtype: 'I64', shape: [3], data: BigInt64Array.from([shard.start, shard.end, shard.total].map(BigInt)) });
  const settings = new TextEncoder().encode(shard.settings);
  arrays.set('shard_settings', { dtype: 'U8', shape: [settings.length], data: settings });
  if (shard.logits) arrays.set('logits_unbiased', rows(shard.logits, n, shard.logits.length / n, 'logits'));
  if (shard.features) arrays.set('pool_2048', rows(shard.features, n, shard.statistics.dim, 'features'));
  return writeNpz(arrays);
}

/**
 * Reads a shard written by `metricShardToNpz`; `what` names the file in errors. `expectedDim`
 * (default 2048, Inception's pool) is the feature width the statistics must have.
 */
export function metricShardFromNpz(input: Uint8Array | ByteSource, what = 'shard file', { expectedDim = 2048 }: { expectedDim?: number } = {}): MetricShard {
  const arrays = readNpz(input);
  const range = arrays.get('shard_range');
  const settings = arrays.get('shard_settings');
  if (!range || !settings) {
    throw new Error(
      `${what} is not an evaluation shard (it has no ${range ? 'shard_settings' : 'shard_range'}; found ${[...arrays.keys()].join(', ')}): shards are written by pixelrepa eval --shard k/N --save_statistics`,
    );
  }
  const [start, end, total] = Array.from(range.data as BigInt64Array, Number);
  const statistics = statisticsFromNpz(writeNpz(new Map([...arrays].filter(([key]) => ['mu', 'sigma', 'mu_f64', 'num_samples'].includes(key)))), {
    expectedDim,
    what,
  });
  const n = end - start;
  if (!(Number.isSafeInteger(start) && start >= 0 && end > start && end <= total))
    throw new Error(`${what}: shard_range [${start}, ${end}) of ${total} is not a range of images`);
  if (statistics.count !== n) throw new Error(`${what} covers images ${start}…${end - 1} (${n}) but its statistics count ${statistics.count}`);
  const read = (name: string, width?: number): Float32Array | undefined => {
    const raw = arrays.get(name);
    if (!raw) return undefined;
    if (raw.dtype !== 'F32' || raw.shape.length !== 2 || raw.shape[0] !== n || raw.shape[1] !== (width ?? raw.shape[1])) {
      throw new Error(`${what}: ${name} should be float32 [${n}, ${width ?? 'C'}], found ${raw.dtype} [${raw.shape.join(', ')}]`);
    }
    return raw.data as Float32Array;
  };
  return {
    start,
    end,
    total,
    count: n,
    statistics,
    settings: new TextDecoder().decode(settings.data as Uint8Array),
    logits: read('logits_unbiased'),
    features: read('pool_2048', statistics.dim),
  };
}

function rows(data: Float32Array, n: number, width: number, name: string): RawTensor {
  if (data.length !== n * width) throw new Error(`${name} hold ${data.length} values, expected [${n}, ${width}]`);
  return { dtype: 'F32', shape: [n, width], data };
}
