import type { CollectedFeatures } from '../evaluate/collect-features.js';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import type { MetricShard } from './metric-shard.js';

/** A shard and the name errors call it by (its file). */
export interface NamedShard {
  name: string;
  shard: MetricShard;
}

/**
 * Joins the shards of one evaluation into what one pass over all images would have kept: merged
 * statistics (Chan et al.'s exact update, equal to one pass to float64 round-off) and the
 * per-image logits and features concatenated in image order (so IS's fixed permutation and
 * KID's subsets see the same rows as one process). Refuses, naming the files, shards from
 * different settings or totals, shards that overlap, and missing images.
 */
export function mergeMetricShards(shards: readonly NamedShard[]): CollectedFeatures & { settings: string; total: number } {
  if (shards.length === 0) throw new Error('no shards to merge: pass the files that pixelrepa eval --shard k/N --save_statistics wrote');
  const [first] = shards;
  for (const { name, shard } of shards.slice(1)) {
    if (shard.settings !== first.shard.settings) {
      throw new Error(
        `${name} was made with other settings than ${first.name}: ${settingsDifference(first.shard.settings, shard.settings)}; merge only the shards of one evaluation`,
      );
    }
    if (shard.total !== first.shard.total) throw new Error(`${name} is a shard of ${shard.total} images but ${first.name} of ${first.shard.total}`);
  }
  const ordered = [...shards].sort((a, b) => a.shard.start - b.shard.start);
  let next = 0;
  let previous: NamedShard | undefined;
  for (const entry of ordered) {
    const { start, end } = entry.shard;
    if (start < next)
      throw new Error(
        `${entry.name} (images ${start}…${end - 1}) overlaps ${previous!.name} (images ${previous!.shard.start}…${previous!.shard.end - 1}); was a shard given twice?`,
      );
    if (start > next)
      throw new Error(
        `images ${next}…${start - 1} of ${first.shard.total} are in no shard (missing before ${entry.name}); run the missing shard and merge again`,
      );
    next = end;
    previous = entry;
  }
  if (next < first.shard.total)
    throw new Error(
      `images ${next}…${first.shard.total - 1} of ${first.shard.total} are in no shard (missing after ${previous!.name}); run the missing shard and merge again`,
    );
  const accumulator = new StatisticsAccumulator(first.shard.statistics.dim);
  for (const { name, shard } of ordered) {
    if (shard.statistics.dim !== accumulator.dim)
      throw new Error(`${name} holds ${shard.statistics.dim}-d statistics but ${first.name} ${accumulator.dim}-d ones`);
    accumulator.merge(shard.statistics);
  }
  const widths = new Set(ordered.map(({ shard }) => shard.logits && shard.logits.length / shard.count));
  if (widths.size > 1) throw new Error(`the shards hold logits of different widths (${[...widths].join(', ')}): were they computed with different networks?`);
  return {
    count: accumulator.count,
    statistics: accumulator.statistics(),
    logits: concatenated(ordered, 'logits'),
    features: concatenated(ordered, 'features'),
    settings: first.shard.settings,
    total: first.shard.total,
  };
}

/** The rows of every shard in order, or undefined when any shard lacks them. */
function concatenated(ordered: readonly NamedShard[], key: 'logits' | 'features'): Float32Array | undefined {
  if (ordered.some(({ shard }) => !shard[key])) return undefined;
  const out = new Float32Array(ordered.reduce((sum, { shard }) => sum + shard[key]!.length, 0));
  let offset = 0;
  for (const { shard } of ordered) {
    out.set(shard[key]!, offset);
    offset += shard[key]!.length;
  }
  return out;
}

/** Which settings differ, for the error: `seed: 0 vs 1`. */
function settingsDifference(a: string, b: string): string {
  try {
    const left = JSON.parse(a) as Record<string, unknown>;
    const right = JSON.parse(b) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((key) => JSON.stringify(left[key]) !== JSON.stringify(right[key]));
    return keys.map((key) => `${key}: ${JSON.stringify(left[key])} vs ${JSON.stringify(right[key])}`).join('; ');
  } catch {
    return `${a} vs ${b}`;
  }
}
