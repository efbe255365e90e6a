import type { OutputStream } from '../context.js';
import type { FlagTable, FlagValues } from '../flags.js';

/**
 * A benchmark of `pixelrepa bench <name>` (and `npm run bench -- <name>`): its flags (which also
 * make its `--help`) and a run that resolves to the JSON figures. The dispatcher adds the machine.
 */
export interface Benchmark<T extends FlagTable = FlagTable> {
  name: string;
  /** One line for the list of benchmarks. */
  about: string;
  /** More words for `--help`: what is timed, how, and the formula of each figure. */
  description?: string;
  flags: T;
  examples?: readonly string[];
  run(values: FlagValues<T>, context: { stderr: OutputStream }): Promise<object>;
}

/** Keeps the flag table's literal types for `run`. */
export function defineBenchmark<const T extends FlagTable>(benchmark: Benchmark<T>): Benchmark<T> {
  return benchmark;
}

/** Median of a list of numbers (of the middle two, the upper one). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Median seconds of `runs` calls of `once` (after one untimed call when `warmUp`). */
export async function medianSeconds(once: () => Promise<number>, { warmUp, runs }: { warmUp: boolean; runs: number }): Promise<number> {
  if (warmUp) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return median(times);
}
