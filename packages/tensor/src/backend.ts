// The one place that chooses and starts a backend. Library code never calls it; apps and tests do.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, BackendName, BackendRequest, InitBackendOptions } from './backends/types.js';
import { backendNames } from './backends/types.js';
import { registerGradients } from './backends/common.js';
import { backendTable } from './backends/table.js';

export type { BackendAttempt, BackendInfo, BackendName, BackendRequest, DawnBackend, InitBackendOptions, ModuleLoader } from './backends/types.js';
export { BackendUnavailableError, backendNames } from './backends/types.js';
export { setThreadsCount } from './backends/wasm.js';
export { backendTable, backendCapabilities, type BackendCapabilities, type BackendEntry, type BackendProbe } from './backends/table.js';

/**
 * Makes `name` the active TF.js backend, registering it and every gradient on first use, and says
 * what it set up. `auto` takes the best backend available here: node-gpu > node > webgpu > webgl
 * (hardware adapters only, unless `allowSoftwareGpu`) > wasm > cpu, and lists in `tried` why each one before it was rejected.
 *
 * ```ts
 * const info = await initBackend('wasm', { threads: 2 });   // info.threads === 2
 * const best = await initBackend('auto');                    // best.reason, best.tried
 * ```
 */
export function initBackend(name: BackendRequest, options: InitBackendOptions = {}): Promise<BackendInfo> {
  // One at a time: starting a backend patches process-wide state for a moment (WASM threads in Node).
  const next = pending.then(() => initBackendNow(name, options));
  pending = next.catch(() => undefined);
  return next;
}

let pending: Promise<unknown> = Promise.resolve();

async function initBackendNow(name: BackendRequest, options: InitBackendOptions): Promise<BackendInfo> {
  // Silences tfjs's "install our node backend" banner and its other console chatter.
  tf.env().set('PROD', true);
  await registerGradients();
  if (name === 'auto') {
    const { initAuto } = await import('./backends/auto.js');
    return initAuto(options, startBackend);
  }
  return startBackend(name, options);
}

async function startBackend(name: BackendName, options: InitBackendOptions): Promise<BackendInfo> {
  const entry = Object.hasOwn(backendTable, name) ? backendTable[name] : undefined;
  if (!entry) throw new Error(`unknown backend "${String(name)}": expected auto or one of ${backendNames.join(', ')}`);
  return entry.load(options);
}
