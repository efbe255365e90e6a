// The page in a real browser: built with Vite, served on 127.0.0.1 (cross-origin isolated),
// opened in Debian's headless chromium. It samples a small grid on WebGPU, WebGL and WASM, and
// the pixels must equal what Node computes (cpu backend) from the same checkpoint and seed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pixelrepa/tensor';
import { JiT, loadJiTWeights } from '@pixelrepa/jit';
import { readPageCheckpoint } from '../src/checkpoint.ts';
import { sampleGrid, type GridImages, type GridSettings } from '../src/grid.ts';
import { buildPage } from './support/build-page.ts';
import { chromiumMissing, launchChromium, type Browser } from './support/chromium.ts';
import { pixelDifference, type PixelDifference } from './support/pixel-difference.ts';
import { randomCheckpoint, testModel } from './support/random-checkpoint.ts';
import { runPage, type PageResult } from './support/page-run.ts';
import { serveFolder, type StaticServer } from './support/static-server.ts';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/browser/', import.meta.url));
const settings: GridSettings = { classes: [0, 1], perClass: 2, steps: 4, method: 'heun', cfg: 2, seed: 0 };
const query = {
  checkpoint: 'test.safetensors',
  classes: settings.classes.join(','),
  perClass: settings.perClass,
  steps: settings.steps,
  method: settings.method,
  cfg: settings.cfg,
  seed: settings.seed,
  run: 1,
};

/**
 * How close the browser's pixels must be to Node's, in uint8 levels. Every backend computes in
 * float32 but sums in its own order (GPU reductions are split differently from the CPU's), so x̂
 * differs by ~1e-6 relative; the 7 model evaluations of a 4-step Heun ODE with CFG 2 carry that
 * into the final image, amplified a few times, and rounding to 1/255 turns a difference of ~1e-3
 * levels into a whole level only for values that sit within it of a .5 boundary (≲ 0.5 % of
 * them). Measured here: WASM in Chromium equals Node exactly; SwiftShader's WebGPU is off by
 * 1 level in 4 of 12288 values (mean 0.0003), WebGL by 1 level in 3. The bounds leave room for
 * other GPUs (max 2 levels, at most ~5 % of the values off by one) while a real bug (a wrong
 * kernel, layout or noise) moves most values by tens of levels. Each run writes its measured
 * differences to test-artifacts/browser/differences.json.
 */
const tolerance = { max: 2, mean: 0.05 };

const missing = chromiumMissing();
if (missing && !process.env.CI) console.warn(`browser test skipped: ${missing}`);

describe.skipIf(missing !== undefined && !process.env.CI)('the sampling page in headless Chromium', () => {
  let folder: string;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let expected: GridImages;
  const differences: Record<string, PixelDifference & { backend?: string; totalMs?: number }> = {};

  beforeAll(async () => {
    // CI must not pass by skipping: there the missing browser is a failure that says what to run.
    if (missing) throw new Error(missing);
    folder = mkdtempSync(join(tmpdir(), 'pixelrepa-page-'));
    await buildPage(folder);
    await initBackend('cpu');
    const bytes = await randomCheckpoint();
    writeFileSync(join(folder, 'test.safetensors'), bytes);
    writeFileSync(join(folder, 'test.json'), JSON.stringify(testModel));
    // The Node reference, through the page's own loading and sampling code.
    const checkpoint = await readPageCheckpoint(bytes, async () => testModel);
    const model = new JiT(checkpoint.config);
    loadJiTWeights(model, checkpoint.state);
    expected = await sampleGrid(model.eval(), settings, { noiseScale: checkpoint.noiseScale, tEps: checkpoint.tEps });
    model.dispose();
    server = await serveFolder(folder);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    if (Object.keys(differences).length)
      writeFileSync(join(artifacts, 'differences.json'), `${JSON.stringify({ tolerance, settings, differences }, null, 2)}\n`);
    await browser?.close();
    await server?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** Runs the page and saves its screenshot; a page error fails with what the page printed. */
  async function sampleOn(backend: string): Promise<PageResult> {
    const report = await runPage(browser!.page, server!.url, { ...query, backend }, ['done']);
    await browser!.page.screenshot({ path: join(artifacts, `${backend}.png`), fullPage: true });
    if (report.state !== 'done') throw new Error(`the page failed on ${backend}: ${report.error}\n${browser!.console.slice(-20).join('\n')}`);
    return report;
  }

  it.each(['webgpu', 'webgl', 'wasm'])(`samples on %s the pixels Node samples (max ≤ ${tolerance.max} levels, mean ≤ ${tolerance.mean})`, async (backend) => {
    const report = await sampleOn(backend);
    expect(report.backend?.name).toBe(backend);
    expect(report.result).toMatchObject({ rows: 2, cols: 2, size: 32 });
    expect(report.result!.stepMs).toHaveLength(settings.steps);
    const difference = pixelDifference(report.result!.pixels, expected.pixels);
    differences[backend] = { ...difference, backend: report.backend?.reason, totalMs: report.result!.totalMs };
    expect(difference.max, JSON.stringify(difference)).toBeLessThanOrEqual(tolerance.max);
    expect(difference.mean, JSON.stringify(difference)).toBeLessThanOrEqual(tolerance.mean);
  });

  it('under auto, passes over software GPUs for WASM and says why', async () => {
    const report = await runPage(browser!.page, server!.url, { checkpoint: 'test.safetensors', backend: 'auto' }, ['ready']);
    expect(report.state, report.error).toBe('ready');
    const tried = report.backend?.tried ?? [];
    expect(tried.at(-1)).toMatchObject({ name: report.backend?.name, ok: true });
    for (const attempt of tried.slice(0, -1)) expect(attempt.reason.length).toBeGreaterThan(10);
    // This machine has no GPU: Chromium's WebGPU and WebGL run on SwiftShader.
    if (report.backend?.name === 'wasm') expect(tried.map((attempt) => attempt.name)).toEqual(['webgpu', 'webgl', 'wasm']);
    // The page shows the backend and why the others were passed over.
    const status = await browser!.page.textContent('#backend');
    expect(status).toContain(report.backend!.reason);
    for (const attempt of tried.slice(0, -1)) expect(status).toContain(attempt.reason);
  });
});
