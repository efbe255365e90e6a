// Summaries over seeds: mean ± sample standard deviation, and paired differences (same seed).

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN for one value. */
  sd: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? NaN : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd };
}

export interface PairedDifference extends Summary {
  /** Seeds where both variants have a value. */
  seeds: number[];
  /**
   * The difference counts: every seed's difference has the same sign, and the mean difference is
   * larger than the spread over seeds of each variant (its sd) and than the sd of the paired
   * differences themselves. Needs at least 2 seeds.
   */
  counts: boolean;
}

/** `b − a` per seed, for the seeds both have. */
export function pairedDifference(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): PairedDifference {
  const seeds = [...a.keys()].filter((seed) => b.has(seed)).sort((x, y) => x - y);
  const differences = seeds.map((seed) => b.get(seed)! - a.get(seed)!);
  const summary = summarize(differences);
  const spread = Math.max(summarize(seeds.map((seed) => a.get(seed)!)).sd, summarize(seeds.map((seed) => b.get(seed)!)).sd);
  const sameSign = differences.every((d) => d > 0) || differences.every((d) => d < 0);
  return { ...summary, seeds, counts: seeds.length >= 2 && sameSign && Math.abs(summary.mean) > Math.max(spread, summary.sd) };
}

/** `12.3 ± 0.4` (sd omitted for one value). */
export function formatSummary({ mean, sd, n }: Summary, digits: number): string {
  if (n === 0) return '—';
  return Number.isFinite(sd) ? `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}` : mean.toFixed(digits);
}
