import type { BackendAttempt, BackendInfo, BackendName, InitBackendOptions } from './types.js';
import { backendNames } from './types.js';
import { messageOf } from './common.js';
import { backendTable, type BackendEntry } from './table.js';

/** Starts one named backend (the dispatcher's `initBackend` without `auto`). */
export type StartBackend = (name: BackendName, options: InitBackendOptions) => Promise<BackendInfo>;

/**
 * Tries the candidates in order (default: node-gpu > node > webgpu > webgl > wasm > cpu) and keeps
 * the first that starts. A software WebGPU adapter or WebGL renderer is passed over unless
 * `allowSoftwareGpu`: WASM is an order of magnitude faster than llvmpipe or SwiftShader.
 */
export async function initAuto(options: InitBackendOptions, start: StartBackend): Promise<BackendInfo> {
  const candidates = options.candidates ?? [...backendNames];
  const tried: BackendAttempt[] = [];
  for (const name of candidates) {
    const entry = backendTable[name] as BackendEntry | undefined; // undefined: start() says it is unknown
    const skip = entry?.skip?.(options);
    if (skip) {
      tried.push({ name, ok: false, reason: skip });
      continue;
    }
    try {
      const info = entry?.probe ? await startGpuIfHardware(name, entry, options, tried) : await start(name, options);
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

async function startGpuIfHardware(
  name: BackendName,
  entry: BackendEntry,
  options: InitBackendOptions,
  tried: BackendAttempt[],
): Promise<BackendInfo | undefined> {
  const probe = await entry.probe!(options);
  if (probe.software && !options.allowSoftwareGpu) {
    tried.push({
      name,
      ok: false,
      reason: `only a software ${name === 'webgpu' ? 'adapter' : 'renderer'} (${probe.adapter}), slower than wasm; pass allowSoftwareGpu to accept it`,
    });
    return undefined;
  }
  return probe.start();
}
