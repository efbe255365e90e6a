import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { writeSafetensorsFile } from '@pixelrepa/io/node';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('export-checkpoint creates the output folder (public/ is not in a fresh clone)', () => {
  const checkpoint = join(dir, 'checkpoint.safetensors');
  const info = { format: 'pixelrepa-checkpoint', version: 1, step: 3, config: { model: 'JiT-Tiny/4', noise_scale: 1, t_eps: 0.05 } };
  writeSafetensorsFile(checkpoint, new Map([['model_ema1.pos_embed', { dtype: 'F32' as const, shape: [2], data: Float32Array.of(1, 2) }]]), {
    pixelrepa: JSON.stringify(info),
  });
  const out = join(dir, 'fresh-clone', 'public', 'quickstart.safetensors');
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(example, 'scripts', 'export-checkpoint.ts'), checkpoint, '--out', out], {
    cwd: example,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  expect(existsSync(out)).toBe(true);
  expect(JSON.parse(readFileSync(out.replace(/\.safetensors$/, '.json'), 'utf8'))).toMatchObject({ model: 'JiT-Tiny/4' });
});
