// The sweep's results file: one JSON object per (variant, seed, step), appended as evaluations finish.
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import type { Variant } from './protocol.js';

export interface ResultLine {
  protocol: string;
  variant: Variant;
  seed: number;
  step: number;
  /** Fréchet distance of the judge's mean-pooled tokens, samples vs the test split (lower is better). */
  fd: number;
  /** Fraction of samples the judge labels as the class they were sampled for. */
  accuracy: number;
  /** The same distance in the alignment target's features (not independent of the objectives). */
  fd_target: number;
  samples: number;
  /** Mean wall time of the training steps since the previous evaluation (NaN when none ran in this process). */
  train_seconds_per_step: number;
  eval_seconds: number;
  cpu: string;
  cores: number;
  backend: string;
  threads: number;
  /** 1-minute load average when the evaluation finished (the machine is shared). */
  load: number;
  time: string;
}

export const resultKey = ({ variant, seed, step }: Pick<ResultLine, 'variant' | 'seed' | 'step'>): string => `${variant}/${seed}/${step}`;

/**
 * Reads a results file (missing: none). A last line cut short by a kill is ignored; any other
 * line that is not a result is an error naming the line.
 */
export function readResults(path: string): ResultLine[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const results: ResultLine[] = [];
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    try {
      const line = JSON.parse(text) as ResultLine;
      if (typeof line.variant !== 'string' || !Number.isInteger(line.seed) || !Number.isInteger(line.step) || typeof line.fd !== 'number')
        throw new Error('not a result');
      results.push(line);
    } catch (error) {
      const last = lines.slice(index + 1).every((rest) => rest.trim() === '');
      if (!last) throw new Error(`${path}:${index + 1}: not a result line (${(error as Error).message})`);
    }
  });
  return results;
}

/** Cuts a last line that a kill left unfinished, so that the next append starts a line of its own. */
export function repairResults(path: string): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  if (text === '' || text.endsWith('\n')) return;
  truncateSync(path, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}
