import { join } from 'node:path';
import { initBackend, type BackendInfo, type BackendName } from '@pixelrepa/tensor';
import { loadCase } from '@pixelrepa/tensor/testing';
import type { KindChecker, TensorResult } from './kind.js';
import { loadCheckers } from './registry.js';
import { caseFolders } from './fixtures-folder.js';

export interface RunOptions {
  root: string;
  backend: BackendName;
  /** Only cases whose folder name or kind equals one of these. */
  cases?: string[];
  /** Called with each printed line (default: nothing). */
  log?: (line: string) => void;
  checkers?: KindChecker[];
}

export interface CaseOutcome {
  case: string;
  kind: string;
  status: 'passed' | 'failed' | 'skipped';
  results: TensorResult[];
  error?: string;
}

export interface RunSummary {
  /** The backend the cases ran on, as `initBackend` described it (adapter, threads). */
  backend: BackendInfo;
  passed: number;
  failed: number;
  skipped: number;
  cases: CaseOutcome[];
}

/** Kinds are compared with `-` and `_` alike and case ignored (`torch-checkpoint` = `torch_checkpoint`). */
export const normaliseKind = (kind: string) => kind.replace(/[-_]/g, '_').toLowerCase();

/** Runs every case under `root` whose kind is known, on `backend`. */
export async function runChecks(options: RunOptions): Promise<RunSummary> {
  const log = options.log ?? (() => {});
  // The folder is checked first: a backend that has started (wasm) turns a later throw into a page of its source.
  const folders = caseFolders(options.root);
  const checkers = options.checkers ?? (await loadCheckers());
  const byKind = new Map<string, KindChecker>();
  for (const checker of checkers) {
    for (const kind of [checker.kind, ...(checker.aliases ?? [])]) byKind.set(normaliseKind(kind), checker);
  }
  const backend = await initBackend(options.backend);
  const summary: RunSummary = { backend, passed: 0, failed: 0, skipped: 0, cases: [] };
  for (const folder of folders) {
    const fixture = loadCase(join(options.root, folder));
    if (options.cases && !options.cases.includes(folder) && !options.cases.includes(fixture.kind)) continue;
    const checker = byKind.get(normaliseKind(fixture.kind));
    if (!checker) {
      log(`${folder}  kind ${fixture.kind}: skipped (unknown kind)`);
      summary.skipped++;
      summary.cases.push({ case: folder, kind: fixture.kind, status: 'skipped', results: [] });
      continue;
    }
    let results: TensorResult[] = [];
    let error: string | undefined;
    try {
      results = await checker.check(fixture, { backend: options.backend });
      if (results.length === 0) error = 'the checker compared nothing';
    } catch (caught) {
      error = (caught as Error).stack ?? String(caught);
    }
    for (const r of results) {
      log(
        `${folder}  ${r.tensor}  max abs err ${fmt(r.maxAbsError)}  allowed ${fmt(r.allowed)}  ${r.ok ? 'ok' : 'FAIL'}${r.detail && !r.ok ? `  (${r.detail})` : ''}`,
      );
    }
    if (error) log(`${folder}  FAIL  ${error}`);
    const failed = error !== undefined || results.some((r) => !r.ok);
    summary[failed ? 'failed' : 'passed']++;
    summary.cases.push({ case: folder, kind: fixture.kind, status: failed ? 'failed' : 'passed', results, error });
  }
  log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return summary;
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toExponential(2) : String(value);
}
