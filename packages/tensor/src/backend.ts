// The one place that chooses and starts a backend. Library code never calls it; apps and tests do.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, BackendName, BackendRequest, InitBackendOptions } from './backends/types.js';
import { backendNames } from './backends/types.js';
import { registerGradients } from './backends/common.js';

export type {
  BackendAttempt, BackendInfo, BackendName, BackendRequest, DawnBackend, InitBackendOptions, ModuleLoader,
} from './backends/types.js';
export { BackendUnavailableError, backendNames } from './backends/types.js';
export { setThreadsCount } from './backends/wasm.js';

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
  switch (name) {
    case 'cpu':
      return (await import('./backends/cpu.js')).initCpu();
    case 'wasm':
      return (await import('./backends/wasm.js')).initWasm(options);
    case 'webgpu':
      return (await import('./backends/webgpu.js')).initWebGpu(options);
    case 'webgl':
      return (await import('./backends/webgl.js')).initWebGl();
    case 'node':
    case 'node-gpu':
      return (await import('./backends/node.js')).initNode(name, options);
    default:
      throw new Error(`unknown backend "${String(name)}": expected auto or one of ${backendNames.join(', ')}`);
  }
}
