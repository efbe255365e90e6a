import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '@pixelrepa/io/node';

/**
 * Drops the lines of a run's `log.jsonl` written after `step` (a process killed between a step's
 * log line and its checkpoint leaves them; the resumed run writes those steps again). Lines that
 * are not JSON with a `step` are kept. Returns how many lines were dropped.
 */
export function truncateRunLog(path: string, step: number): number {
  if (!existsSync(path)) return 0;
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const kept = lines.filter((line) => !(stepOf(line) > step));
  if (kept.length === lines.length) return 0;
  writeFileAtomic(path, new TextEncoder().encode(kept.map((line) => `${line}\n`).join('')));
  return lines.length - kept.length;
}

function stepOf(line: string): number {
  try {
    const step = (JSON.parse(line) as { step?: unknown }).step;
    return typeof step === 'number' ? step : NaN;
  } catch {
    return NaN;
  }
}
