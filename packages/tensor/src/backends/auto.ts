import type { BackendAttempt, BackendInfo, BackendName, InitBackendOptions } from './types.js';
import { backendNames } from './types.js';
import { messageOf } from './common.js';
import { isNode } from './environment.js';
import { linuxGpuDevices } from './gpu-devices.js';

const debugging = () => isNode() && Boolean(process.env.PIXELREPA_DEBUG);

/** Starts one named backend (the dispatcher's `initBackend` without `auto`). */
export type StartBackend = (name: BackendName, options: InitBackendOptions) => Promise<BackendInfo>;

/** Why each backend may be skipped before trying it. */
function skipReason(name: BackendName, options: InitBackendOptions): string | undefined {
  if ((name === 'node' || name === 'node-gpu') && !isNode() && !options.loadModule) return 'runs only in Node';
  if (name === 'webgl' && isNode()) return 'runs only in browsers';
  return undefined;
}

/**
 * Tries the candidates in order (default: node-gpu > node > webgpu > webgl > wasm > cpu) and keeps
 * the first that starts. A software WebGPU adapter or WebGL renderer is passed over unless
 * `allowSoftwareGpu`: WASM is an order of magnitude faster than llvmpipe or SwiftShader.
 */
export async function initAuto(options: InitBackendOptions, start: StartBackend): Promise<BackendInfo> {
  const candidates = options.candidates ?? [...backendNames];
  const tried: BackendAttempt[] = [];
  for (const name of candidates) {
    const skip = skipReason(name, options);
    if (skip) {
      tried.push({ name, ok: false, reason: skip });
      continue;
    }
    try {
      const info = name === 'webgpu' || name === 'webgl' ? await startGpuIfHardware(name, options, tried) : await start(name, options);
      if (!info) continue;
      const rejected = tried.map((attempt) => attempt.name);
      const how = info.reason.replace(/^requested\s*/, '');
      const reason = `best available here${rejected.length ? ` (${rejected.join(', ')} not usable: see tried)` : ''}${how ? ` ${how}` : ''}`;
      tried.push({ name, ok: true, reason: info.reason });
      return { ...info, reason, tried };
    } catch (error) {
      tried.push({ name, ok: false, reason: messageOf(error) });
    }
  }
  const summary = tried.map((attempt) => `${attempt.name}: ${attempt.reason}`).join('; ');
  throw new Error(`no backend could be started (${summary})`);
}

async function startGpuIfHardware(name: 'webgpu' | 'webgl', options: InitBackendOptions, tried: BackendAttempt[]): Promise<BackendInfo | undefined> {
  if (name === 'webgpu' && !options.allowSoftwareGpu) {
    // Dawn prints to stderr while it looks for adapters: where there is no GPU, do not load it.
    const devices = options.gpuDevices ? options.gpuDevices() : options.loadModule || debugging() ? undefined : linuxGpuDevices();
    if (devices && devices.length === 0) {
      tried.push({ name, ok: false, reason: 'no GPU device on this machine (no /dev/dri/renderD*, /dev/nvidia*, /dev/dxg): not probed (a software adapter would be slower than wasm); ask for it by name to use it anyway' });
      return undefined;
    }
  }
  const probe = name === 'webgpu'
    ? await (await import('./webgpu.js')).probeWebGpu(options)
    : await (await import('./webgl.js')).probeWebGl();
  if (probe.software && !options.allowSoftwareGpu) {
    tried.push({ name, ok: false, reason: `only a software ${name === 'webgpu' ? 'adapter' : 'renderer'} (${probe.adapter}), slower than wasm; pass allowSoftwareGpu to accept it` });
    return undefined;
  }
  return probe.start();
}
