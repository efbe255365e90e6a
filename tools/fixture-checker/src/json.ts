import type { RunSummary } from './run.js';

/**
 * A run as one JSON-ready object (`check-fixtures --json`): per case its status and the tensor
 * closest to its tolerance (`ratio` = max abs error / allowed; a case passes while every ratio ≤ 1).
 */
export function summaryJson(summary: RunSummary) {
  return {
    backend: summary.backend,
    passed: summary.passed,
    failed: summary.failed,
    skipped: summary.skipped,
    cases: summary.cases.map((outcome) => {
      const ratioOf = (r: { maxAbsError: number; allowed: number }) => (r.allowed > 0 ? r.maxAbsError / r.allowed : r.maxAbsError === 0 ? 0 : Infinity);
      const worst = outcome.results.reduce<(typeof outcome.results)[number] | undefined>(
        (a, b) => (a === undefined || ratioOf(b) > ratioOf(a) ? b : a),
        undefined,
      );
      return {
        case: outcome.case,
        kind: outcome.kind,
        status: outcome.status,
        tensors: outcome.results.length,
        failedTensors: outcome.results.filter((r) => !r.ok).map((r) => r.tensor),
        ...(worst
          ? { worst: { tensor: worst.tensor, maxAbsError: worst.maxAbsError, allowed: worst.allowed, ratio: Number(ratioOf(worst).toPrecision(3)) } }
          : {}),
        ...(outcome.error ? { error: outcome.error.split('\n')[0] } : {}),
      };
    }),
  };
}
