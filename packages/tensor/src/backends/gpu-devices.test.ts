import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../index.js';
import { standInLoader } from '../testing/index.js';
import { linuxGpuDevices } from './gpu-devices.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('auto on a machine without a GPU device', () => {
  it('does not load Dawn (which would print its warnings) and says why WebGPU was passed over', async () => {
    const loadModule = standInLoader({
      webgpu: () => {
        throw new Error('Dawn must not be loaded');
      },
    });
    const info = await initBackend('auto', { loadModule, gpuDevices: () => [], candidates: ['webgpu', 'cpu'] });
    expect(info.name).toBe('cpu');
    expect(loadModule.imported).toEqual([]);
    expect(info.tried?.[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(info.tried?.[0].reason).toMatch(/no GPU device on this machine/);
  });

  it('probes WebGPU where a GPU device exists', async () => {
    const loadModule = standInLoader({});
    const info = await initBackend('auto', { loadModule, gpuDevices: () => ['/dev/dri/renderD128'], candidates: ['webgpu', 'cpu'] });
    expect(info.name).toBe('cpu');
    expect(loadModule.imported).toEqual(['webgpu']);
  });

  it('lists device files on Linux only', () => {
    const devices = linuxGpuDevices();
    if (process.platform === 'linux') expect(devices?.every((path) => /^\/dev\/(dri\/renderD\d+|nvidia\d+|dxg)$/.test(path))).toBe(true);
    else expect(devices).toBeUndefined();
  });

  // The real thing, in a child process (Dawn writes to the process's stderr from native code).
  it.runIf(linuxGpuDevices()?.length === 0)('here (no GPU device): initBackend("auto") writes nothing to stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-probe-'));
    const script = join(dir, 'probe.mts');
    writeFileSync(
      script,
      `const { initBackend } = await import(${JSON.stringify(pathToFileURL(join(packageRoot, 'src', 'index.ts')).href)});
const info = await initBackend('auto');
await new Promise((resolve) => setTimeout(resolve, 300));
console.log(info.name);
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, PIXELREPA_DEBUG: '' } });
    rmSync(dir, { recursive: true, force: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });
});
