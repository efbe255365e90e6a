import { describe, expect, it } from 'vitest';
import { findFixturesRoot, missingFixturesTest, testBackends } from '@pixelrepa/tensor/testing';
import { casesByKind } from './cases-by-kind.js';
import { loadCheckers } from './registry.js';
import { runChecks } from './run.js';

// The reference fixtures: one test per kind and backend (cpu and wasm by default). A kind whose
// cases are missing is a counted skip (a failure on CI); a case of a kind nobody checks, or a case
// the checker skipped, fails.
const checkers = await loadCheckers();
const root = findFixturesRoot();
const { known, unknown } = casesByKind(root, checkers);

describe.each(testBackends())('reference cases on %s', (backend) => {
  for (const { kind } of known.filter((entry) => entry.folders.length === 0)) missingFixturesTest(kind, [kind]);

  const present = known.filter((entry) => entry.folders.length > 0).map(({ kind, folders }) => [kind, folders] as const);
  it.each(present)(
    '%s',
    async (_kind, folders) => {
      const lines: string[] = [];
      const summary = await runChecks({ root: root!, backend, cases: folders, checkers, log: (line) => lines.push(line) });
      const failures = lines.filter((line) => line.includes('FAIL'));
      expect(failures, failures.join('\n')).toEqual([]);
      expect(summary.cases.map((outcome) => `${outcome.case}: ${outcome.status}`)).toEqual(folders.map((folder) => `${folder}: passed`));
    },
    600_000,
  ); // a safety net, not a speed check: train-trajectory alone takes minutes on a busy 2-core machine
});

if (known.some((entry) => entry.folders.length > 0)) {
  it('knows the kind of every case in the fixtures folder', () => {
    expect(unknown, `cases no checker runs (add one under src/kinds and to registry.ts): ${unknown.join(', ')}`).toEqual([]);
  });
}
