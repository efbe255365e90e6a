// Starting tfjs-backend-webgpu once an adapter is found (browser or Dawn): shared by the browser
// probe (webgpu.ts) and the Node one (webgpu-node.ts), so neither imports the other.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from './types.js';
import { BackendUnavailableError } from './types.js';
import { activate } from './common.js';

/** What `probeWebGpu` found: an adapter, ready to be turned into the TF.js backend by `start`. */
export interface WebGpuProbe {
  adapter: string;
  software: boolean;
  /** Installs what tfjs-backend-webgpu needs (Node: `navigator.gpu`, GPU* globals) and starts it. */
  start(): Promise<BackendInfo>;
}

/** The adapter the running backend was started on. */
let running: { adapter: string; software: boolean } | undefined;

/** The adapter the running WebGPU backend was started on, if it was started here. */
export function runningAdapter(): { adapter: string; software: boolean } | undefined {
  return running;
}

/** Imports tfjs-backend-webgpu (which registers itself only if `navigator.gpu` exists) and activates it. */
export async function startTfjsWebGpu(adapter: string, software: boolean, reason: string): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') == null) {
    throw new BackendUnavailableError(
      'webgpu',
      "@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed, so it did not register itself: let initBackend('webgpu') be the first to import it",
    );
  }
  await activate('webgpu');
  running = { adapter, software };
  return {
    name: 'webgpu',
    tfjsBackend: 'webgpu',
    reason: `${reason} (adapter: ${adapter}${software ? ', software' : ''})`,
    adapter,
    softwareAdapter: software,
  };
}
