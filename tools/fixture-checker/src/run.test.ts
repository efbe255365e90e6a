import { describe, expect, it } from 'vitest';
import { fixturesRoot, testBackends } from '@pixelrepa/tensor/testing';
import { runChecks } from './run.js';

// The reference fixtures, every known kind, once per backend (cpu and wasm by default).
describe.each(testBackends())('check-fixtures on %s', (backend) => {
  it('passes every case whose kind it knows', async () => {
    const lines: string[] = [];
    const summary = await runChecks({ root: fixturesRoot(), backend, log: (line) => lines.push(line) });
    const failures = lines.filter((line) => line.includes('FAIL'));
    expect(failures, failures.join('\n')).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.passed).toBeGreaterThan(0);
  });
});
