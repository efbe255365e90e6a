import * as tf from '@tensorflow/tfjs-core';

export type BackendName = 'cpu' | 'wasm' | 'webgpu' | 'node' | 'node-gpu';

export interface InitBackendOptions {
  /** WASM threads (Node and cross-origin-isolated pages). Default: all cores, at most 8. */
  threads?: number;
}

export interface BackendInfo {
  name: BackendName;
  /** Why this backend was picked (for `auto`) or how it was set up. */
  reason: string;
  threads?: number;
}

let gradientsRegistered = false;

/** Registers every TF.js gradient (tfjs-core alone registers none in Node). */
async function registerGradients(): Promise<void> {
  if (gradientsRegistered) return;
  await import('@tensorflow/tfjs');
  gradientsRegistered = true;
}

/**
 * Makes `name` the active backend, registering it (and every gradient) on first use.
 *
 * ```ts
 * const info = await initBackend('wasm');
 * ```
 */
export async function initBackend(name: BackendName, options: InitBackendOptions = {}): Promise<BackendInfo> {
  await registerGradients();
  tf.env().set('PROD', true);
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await setBackendOrThrow('cpu');
      return { name, reason: 'requested' };
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      await setBackendOrThrow('wasm');
      return { name, reason: 'requested', threads: options.threads ?? 1 };
    default:
      throw new Error(`backend "${name}" is not set up yet`);
  }
}

async function setBackendOrThrow(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TF.js could not initialise the "${name}" backend`);
  await tf.ready();
}
