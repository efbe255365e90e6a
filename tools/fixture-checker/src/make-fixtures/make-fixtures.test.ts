import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, type RawTensor } from '@pixelrepa/io';
import { allclose, describeWithFixtures, fixtureDir, loadCase, testBackends, toleranceFor } from '@pixelrepa/tensor/testing';
import { runChecks } from '../run.js';
import { findOfficialFolder, findRepaFolder } from './official-folder.js';
import { findTorchPython, generatorScript } from './python.js';

// Every case the generator writes, and what it lacks here: `--list --json` of the generator itself.
// The upstream checkouts (timm, torch-fidelity, transformers) come from $PIXELREPA_TIMM,
// $PIXELREPA_FIDELITY and $PIXELREPA_TRANSFORMERS, which the generator reads itself.
interface Listed {
  case: string;
  kind: string;
  needs: string;
  missing: string[];
  from_only: boolean;
}
const torch = findTorchPython();
const official = findOfficialFolder();
const repa = findRepaFolder();
const folderArgs = [...(official ? ['--official', official] : []), ...(repa ? ['--repa', repa] : [])];

function listCases(): Listed[] {
  const run = spawnSync(torch.python!, [generatorScript, '--list', '--json', ...folderArgs], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`make-fixtures --list failed (exit ${run.status}):\n${run.stderr}`);
  return (JSON.parse(run.stdout) as { cases: Listed[] }).cases;
}

const listed = torch.python ? listCases() : [];
const cases = listed.filter((entry) => entry.missing.length === 0).map((entry) => entry.case);
// Cases recomputed only from a published case (`--from`): no seeded run.
const seededCases = listed.filter((entry) => entry.missing.length === 0 && !entry.from_only).map((entry) => entry.case);
// dinov2-hf-names has no expected tensors: its outputs are weights_hf.safetensors and mapping.json.
const HF_NAMES = 'dinov2-hf-names';
const withExpected = cases.filter((name) => name !== HF_NAMES);
if (!torch.python) console.warn(`make-fixtures tests skipped: ${torch.reason}`);
const notHere = listed.filter((entry) => entry.missing.length > 0).map((entry) => [entry.case, entry.missing.join('; ')] as const);
for (const [name, why] of notHere) console.warn(`make-fixtures test of ${name} skipped: it needs ${why}`);
const unavailable = !torch.python ? torch.reason : cases.length === 0 ? 'no case can be written here (see the lines above)' : undefined;

function generate(out: string, names: string[], extra: string[]): void {
  const run = spawnSync(torch.python!, [generatorScript, ...folderArgs, '--out', out, '--cases', names.join(','), ...extra], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`make-fixtures failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
}

/** Values as numbers (int64 as float64): integer tensors must match exactly, floats within tolerance. */
function numbers(tensor: RawTensor): ArrayLike<number> {
  return tensor.data instanceof BigInt64Array ? Float64Array.from(tensor.data, Number) : (tensor.data as ArrayLike<number>);
}

/** Same shape; the published torch-checkpoint stores its three 0-d tensors as [1] (its writer's quirk), ours as []. */
function sameShape(ours: number[], published: number[]): boolean {
  return ours.join() === published.join() || (ours.length === 0 && published.join() === '1');
}

describe.skipIf(unavailable)('npm run make-fixtures (the official PyTorch code)', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'pixelrepa-make-fixtures-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // Cases the generator cannot write here: listed as skipped, with what they need.
  for (const [name, why] of notHere) it.skip(`${name}: not written here, it needs ${why}`, () => {});

  // From the published weights and inputs: the recomputed outputs must be the published ones.
  describeWithFixtures('from the published weights and inputs', cases, () => {
    beforeAll(() => generate(join(scratch, 'from-published'), cases, ['--from', join(fixtureDir(cases[0]), '..')]), 300_000);

    it.skipIf(!cases.includes(HF_NAMES))(`${HF_NAMES}: weights_hf.safetensors (names, shapes, values) and mapping.json exactly`, () => {
      const ours = join(scratch, 'from-published', HF_NAMES);
      const readWeights = (folder: string) => readSafetensors(readFileSync(join(folder, 'weights_hf.safetensors'))).tensors;
      const published = readWeights(fixtureDir(HF_NAMES));
      const regenerated = readWeights(ours);
      expect([...regenerated.keys()].sort()).toEqual([...published.keys()].sort());
      for (const [tensor, expected] of published) {
        const mine = regenerated.get(tensor)!;
        expect(`${tensor} ${mine.dtype} [${mine.shape}]`).toBe(`${tensor} ${expected.dtype} [${expected.shape}]`);
        const report = allclose(numbers(mine), numbers(expected), { atol: 0, rtol: 0 });
        expect(report.ok, `${tensor}: ${report.message}`).toBe(true);
      }
      const mapping = (folder: string) =>
        JSON.parse(readFileSync(join(folder, 'mapping.json'), 'utf8')) as {
          embed_dim: number;
          depth: number;
          rows: Array<Record<string, unknown>>;
          hf_only: Array<Record<string, unknown>>;
        };
      const table = (value: ReturnType<typeof mapping>) => ({
        embed_dim: value.embed_dim,
        depth: value.depth,
        rows: value.rows.map(({ timm, hf, transform, timm_shape, hf_shape }) => ({ timm, hf, transform, timm_shape, hf_shape })),
        hf_only: value.hf_only.map(({ hf, hf_shape }) => ({ hf, hf_shape })),
      });
      expect(table(mapping(ours))).toEqual(table(mapping(fixtureDir(HF_NAMES))));
    });

    it.each(withExpected)('%s: every expected tensor, within the published tolerance', (name) => {
      const published = loadCase(name);
      const regenerated = readSafetensors(readFileSync(join(scratch, 'from-published', name, 'expected.safetensors')), { widenHalf: true }).tensors;
      expect([...regenerated.keys()].sort()).toEqual([...published.expected().keys()].sort());
      for (const [tensor, expected] of published.expected()) {
        const ours = regenerated.get(tensor)!;
        expect(sameShape(ours.shape, expected.shape), `${name} ${tensor}: shape [${ours.shape}] vs published [${expected.shape}]`).toBe(true);
        const exact = !['F32', 'F64', 'F16', 'BF16'].includes(expected.dtype);
        const report = allclose(numbers(ours), numbers(expected), exact ? { atol: 0, rtol: 0 } : toleranceFor(published.json, tensor));
        expect(report.ok, `${name} ${tensor}: ${report.message}`).toBe(true);
      }
      // lr-and-ema keeps its learning-rate table in case.json (exact Python floats).
      const table = published.json.lr_table as Array<{ lr: number; group_lr: number[] }> | undefined;
      if (table) {
        const ours = JSON.parse(readFileSync(join(scratch, 'from-published', name, 'case.json'), 'utf8')).lr_table as typeof table;
        expect(ours.length).toBe(table.length);
        table.forEach((row, i) => {
          const values = [ours[i].lr, ...ours[i].group_lr];
          [row.lr, ...row.group_lr].forEach((lr, k) => expect(Math.abs(values[k] - lr)).toBeLessThanOrEqual(1e-12 * Math.abs(lr)));
        });
      }
    });
  });

  // From a seed, without any published fixture: the checker passes on what the generator wrote.
  describe.skipIf(seededCases.length === 0)('seeded cases', () => {
    const out = () => join(scratch, 'seeded');
    beforeAll(() => generate(out(), seededCases, ['--seed', '7']), 300_000);

    it.each(testBackends())(
      'check-fixtures passes on every case on %s',
      async (backend) => {
        const summary = await runChecks({ root: out(), backend });
        expect(summary.cases.map((outcome) => `${outcome.case}: ${outcome.status}`).sort()).toEqual(seededCases.map((name) => `${name}: passed`).sort());
      },
      600_000,
    ); // a safety net, not a speed check: train-trajectory takes a while on a busy machine
  });
});
