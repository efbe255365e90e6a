import { SampleSkipError, type SkipReason } from './sample-source.js';

/** Counts of skipped files by reason, and the warnings printed for them. */
export interface SkipSummary {
  total: number;
  byReason: Partial<Record<SkipReason, number>>;
}

/**
 * Collects skipped samples: one warning line per file (through `warn`), counts by reason,
 * and a one-line summary at the end of an epoch.
 */
export class SkipReport {
  private readonly counts = new Map<SkipReason, number>();
  private readonly warn: (line: string) => void;

  constructor(warn: (line: string) => void = (line) => console.warn(line)) {
    this.warn = warn;
  }

  /** Records `error` (a SampleSkipError, or anything thrown while loading `where`). */
  skip(error: unknown, where: string): void {
    const reason: SkipReason = error instanceof SampleSkipError ? error.reason : 'failed';
    const message = error instanceof SampleSkipError ? error.message : `${where}: ${(error as Error)?.message ?? String(error)}`;
    this.add(reason, message);
  }

  /** Records a skip known without an error object. */
  add(reason: SkipReason, message: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.warn(`data: skipped ${message} [${reason}]`);
  }

  /** Adds another report's counts (without re-printing its warnings). */
  merge(summary: SkipSummary): void {
    for (const [reason, count] of Object.entries(summary.byReason) as Array<[SkipReason, number]>) {
      this.counts.set(reason, (this.counts.get(reason) ?? 0) + count);
    }
  }

  summary(): SkipSummary {
    const byReason: Partial<Record<SkipReason, number>> = {};
    let total = 0;
    for (const [reason, count] of [...this.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      byReason[reason] = count;
      total += count;
    }
    return { total, byReason };
  }
}

/** "3 files skipped (2 corrupt, 1 truncated)" or "no files skipped". */
export function formatSkipSummary(summary: SkipSummary): string {
  if (summary.total === 0) return 'no files skipped';
  const parts = Object.entries(summary.byReason).map(([reason, count]) => `${count} ${reason}`);
  return `${summary.total} file${summary.total === 1 ? '' : 's'} skipped (${parts.join(', ')})`;
}
