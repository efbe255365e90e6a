// The packages as npm would deliver them: `npm pack` each one, install the tarballs into fresh
// projects outside the workspace (offline, from the npm cache), and run a user's scripts there.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackages, installConsumer, packWorkspace } from './install.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const consumerScripts = fileURLToPath(new URL('./consumer/', import.meta.url));
const folders = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));
const minutes = 60_000;

let work: string;
let full: string;
let withoutSharp: string;

/** Runs `command` in `cwd` with node and returns stdout (stderr goes into the error). */
async function run(cwd: string, command: string, args: string[]): Promise<string> {
  try {
    return (await promisify(execFile)(command, args, { cwd, encoding: 'utf8' })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stderr ?? ''}${stdout ?? ''}`, { cause: error });
  }
}

/** Copies a consumer script into `cwd`, runs it with node and parses the JSON it prints. */
async function runScript(cwd: string, script: string): Promise<Record<string, unknown>> {
  copyFileSync(join(consumerScripts, script), join(cwd, script));
  const lines = (await run(cwd, process.execPath, [script])).trim().split('\n');
  return JSON.parse(lines.at(-1)!);
}

beforeAll(async () => {
  await buildPackages(root);
  work = mkdtempSync(join(tmpdir(), 'pixelrepa-installed-'));
  const packed = packWorkspace(root, folders, join(work, 'packed'));
  full = join(work, 'full');
  withoutSharp = join(work, 'without-sharp');
  await Promise.all([
    installConsumer(
      packed,
      full,
      folders.map((folder) => `@pixelrepa/${folder}`),
    ),
    installConsumer(packed, withoutSharp, ['@pixelrepa/align', '@pixelrepa/jit', '@pixelrepa/data', '@pixelrepa/nn', '@pixelrepa/tensor']),
  ]);
}, 15 * minutes); // a real build when the dist is stale: minutes on a busy 2-core machine

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed packages, installed from their tarballs', () => {
  it(
    'compute a PixelREPA loss with gradients (jit + align)',
    async () => {
      const result = await runScript(withoutSharp, 'pixelrepa-loss.mjs');
      expect(result.backend).toBe('cpu');
      expect(result.finite).toBe(true);
      expect(result.loss).toBeCloseTo((result.diffusion as number) + (result.weight as number) * (result.align as number), 5);
      expect(result.align).toBeGreaterThan(0);
      expect(result.gradients).toBe(result.parameters);
      expect(result.nonZero).toBeGreaterThan(0);
      expect(result.maskTokenGradient, 'the alignment loss reaches the JiT mask token').toBeGreaterThan(0);
      expect(result.adapterGradient, 'the adapter learns').toBeGreaterThan(0);
      expect(result.leaked).toBe(0);
    },
    2 * minutes,
  );

  it(
    'do not pull sharp for align + jit + data, whose Node entry then names the package to install',
    async () => {
      expect(existsSync(join(withoutSharp, 'node_modules', 'sharp'))).toBe(false);
      expect(existsSync(join(withoutSharp, 'node_modules', '@img'))).toBe(false);
      expect(existsSync(join(full, 'node_modules', 'sharp')), 'the cli depends on sharp').toBe(true);
      const result = await runScript(withoutSharp, 'data-without-sharp.mjs');
      expect(result.browserExports).toBeGreaterThan(0);
      expect(result.decodeError).toMatch(/"sharp", an optional peer dependency that is not installed: run `npm install sharp`/);
    },
    2 * minutes,
  );

  it(
    'compute FID between two small image sets (metrics)',
    async () => {
      const result = await runScript(full, 'fid.mjs');
      expect(result.backend).toBe('wasm');
      expect(result.count).toBe(2);
      expect(Math.abs(result.fidSame as number)).toBeLessThan(1e-6);
      expect(result.fidOther).toBeGreaterThan(1);
    },
    2 * minutes,
  );

  it(
    "run the pixelrepa command from the cli package's bin",
    async () => {
      const help = await run(full, join(full, 'node_modules', '.bin', 'pixelrepa'), ['--help']);
      expect(help).toMatch(/^Usage: pixelrepa <command>/m);
      for (const command of ['train', 'sample', 'eval', 'convert']) expect(help).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'));
    },
    2 * minutes,
  );
});
