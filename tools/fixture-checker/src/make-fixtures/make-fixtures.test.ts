import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '@pixelrepa/io';
import { allclose, describeWithFixtures, fixtureDir, loadCase, toleranceFor } from '@pixelrepa/tensor/testing';
import { runChecks } from '../run.js';
import { findOfficialFolder } from './official-folder.js';
import { findTorchPython, generatorScript } from './python.js';

// The cases the generator writes (tools/make-fixtures/make_fixtures.py CASES).
const cases = ['jit-forward', 'mta-forward', 'sincos-and-rope'];
const torch = findTorchPython();
const official = findOfficialFolder();
const unavailable = !torch.python ? torch.reason
  : !official ? 'the official PixelREPA code is not here: set PIXELREPA_OFFICIAL to a checkout of kaist-cvml/PixelREPA at 5181608' : undefined;
if (unavailable) console.warn(`make-fixtures tests skipped: ${unavailable}`);

function generate(out: string, extra: string[]): void {
  const run = spawnSync(torch.python!, [generatorScript, '--official', official!, '--out', out, '--cases', cases.join(','), ...extra], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`make-fixtures failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
}

describe.skipIf(unavailable)('npm run make-fixtures (the official PyTorch code)', () => {
  let scratch: string;
  beforeAll(() => { scratch = mkdtempSync(join(tmpdir(), 'pixelrepa-make-fixtures-')); });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // From the published weights and inputs: the recomputed outputs must be the published ones.
  describeWithFixtures('from the published weights and inputs', cases, () => {
    beforeAll(() => generate(join(scratch, 'from-published'), ['--from', join(fixtureDir(cases[0]), '..')]), 120_000);

    it.each(cases)('%s: every expected tensor, within the published tolerance', (name) => {
      const published = loadCase(name);
      const regenerated = readSafetensors(readFileSync(join(scratch, 'from-published', name, 'expected.safetensors'))).tensors;
      expect([...regenerated.keys()].sort()).toEqual([...published.expected().keys()].sort());
      for (const [tensor, expected] of published.expected()) {
        const report = allclose(regenerated.get(tensor)!.data as Float32Array, expected.data as Float32Array, toleranceFor(published.json, tensor));
        expect(report.ok, `${name} ${tensor}: ${report.message}`).toBe(true);
      }
    });
  });

  // From a seed, without any published fixture: the checker passes on what the generator wrote.
  it('writes seeded cases that check-fixtures passes on cpu', async () => {
    const out = join(scratch, 'seeded');
    generate(out, ['--seed', '7']);
    const summary = await runChecks({ root: out, backend: 'cpu' });
    expect(summary.cases.map((outcome) => `${outcome.case}: ${outcome.status}`)).toEqual(cases.map((name) => `${name}: passed`));
  }, 120_000);
});
