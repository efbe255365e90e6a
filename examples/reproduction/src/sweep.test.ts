// The sweep end to end on a two-step protocol: results, grids, the protocol file; a second call
// redoes nothing; a results line cut short by a kill is dropped and its evaluation redone.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fashionMnistFiles } from '@pixelrepa/data';
import { debianFashionMnistRoot } from '@pixelrepa/data/node';
import { trainRecipes } from '@pixelrepa/train';
import { readResults, resultKey } from './results.js';
import { repositoryPath } from './protocol.js';

const dir = mkdtempSync(join(tmpdir(), 'reproduction-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const results = join(dir, 'results', 'results.jsonl');
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const sweep = (...extra: string[]) =>
  execFileSync(
    tsx,
    [
      fileURLToPath(new URL('./sweep.ts', import.meta.url)),
      '--backend',
      'wasm',
      '--threads',
      '1',
      '--steps',
      '2',
      '--eval-every',
      '1',
      '--checkpoint-every',
      '1',
      '--samples-per-class',
      '1',
      '--sampler-steps',
      '2',
      '--floor-images',
      '20',
      '--reference-images',
      '50',
      '--seeds',
      '0',
      '--variants',
      'none,pixelrepa',
      // Any SmallViT classifier can judge; the test uses the quickstart's encoder instead of the judge asset.
      '--judge',
      repositoryPath(trainRecipes.quickstart.encoder),
      '--results',
      results,
      '--out',
      join(dir, 'out'),
      ...extra,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );

const haveData = existsSync(join(debianFashionMnistRoot, fashionMnistFiles.train.images));

describe.skipIf(!haveData)(`the reproduction sweep (needs Debian's dataset-fashion-mnist in ${debianFashionMnistRoot})`, () => {
  it('evaluates every run at every step, writes the final grids, and resumes without redoing work', { timeout: 300_000 }, () => {
    sweep();
    const lines = readResults(results);
    expect(lines.map(resultKey)).toEqual(['none/0/1', 'none/0/2', 'pixelrepa/0/1', 'pixelrepa/0/2']);
    for (const line of lines) {
      expect(line.protocol).toBe('fmnist32-jit1.9M-3000x32-v1+custom');
      expect(line.samples).toBe(10);
      expect(line.fd).toBeGreaterThan(0);
      expect(line.accuracy).toBeGreaterThanOrEqual(0);
      expect(line.accuracy).toBeLessThanOrEqual(1);
    }
    expect(existsSync(join(dir, 'results', 'fmnist32-jit1.9M-3000x32-v1+custom-samples-pixelrepa-seed0.png'))).toBe(true);
    const written = JSON.parse(readFileSync(join(dir, 'results', 'fmnist32-jit1.9M-3000x32-v1+custom.protocol.json'), 'utf8')) as {
      protocol: { steps: number };
      real: { fd: number };
    };
    expect(written.protocol.steps).toBe(2);
    expect(written.real.fd).toBeGreaterThan(0);

    // Again: nothing left to do.
    expect(sweep()).toContain('pixelrepa seed 0: all 2 evaluations in the results file');
    expect(readResults(results)).toHaveLength(4);

    // A kill during the last append: the cut line is dropped and that evaluation redone from the final checkpoint.
    const text = readFileSync(results, 'utf8');
    writeFileSync(results, text.slice(0, text.length - 40));
    sweep();
    const again = readResults(results);
    expect(again.map(resultKey)).toEqual(['none/0/1', 'none/0/2', 'pixelrepa/0/1', 'pixelrepa/0/2']);
    // The same weights, labels and noise give the same figure.
    expect(again[3].fd).toBeCloseTo(lines[3].fd, 6);
  });

  it('refuses to write a changed protocol into the committed results file', () => {
    expect(() =>
      execFileSync(tsx, [fileURLToPath(new URL('./sweep.ts', import.meta.url)), '--steps', '2', '--eval-every', '1'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ).toThrow(/a changed protocol .* writes its results to a file you name with --results/);
  });
});
