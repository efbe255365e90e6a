import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResults, repairResults, resultKey } from './results.js';

const dir = mkdtempSync(join(tmpdir(), 'reproduction-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const line = (step: number) => JSON.stringify({ protocol: 'p', variant: 'none', seed: 0, step, fd: 1.5, accuracy: 0.5, fd_target: 2 });

describe('the results file', () => {
  it('reads one result per line and keys them by variant, seed and step', () => {
    const path = join(dir, 'a.jsonl');
    writeFileSync(path, `${line(750)}\n${line(1500)}\n`);
    expect(readResults(path).map(resultKey)).toEqual(['none/0/750', 'none/0/1500']);
    expect(readResults(join(dir, 'missing.jsonl'))).toEqual([]);
  });

  it('drops a last line a kill cut short, before the next append', () => {
    const path = join(dir, 'b.jsonl');
    writeFileSync(path, `${line(750)}\n${line(1500).slice(0, 30)}`);
    expect(readResults(path)).toHaveLength(1);
    repairResults(path);
    expect(readFileSync(path, 'utf8')).toBe(`${line(750)}\n`);
    repairResults(path);
    expect(readFileSync(path, 'utf8')).toBe(`${line(750)}\n`);
  });

  it('names a damaged line that is not the last', () => {
    const path = join(dir, 'c.jsonl');
    writeFileSync(path, `${line(750)}\n{"variant": 3}\n${line(1500)}\n`);
    expect(() => readResults(path)).toThrow(/c\.jsonl:2: not a result line/);
  });
});
