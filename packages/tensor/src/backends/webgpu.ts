import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, InitBackendOptions } from './types.js';
import { BackendUnavailableError } from './types.js';
import { activate, isInitialised } from './common.js';
import { isNode } from './environment.js';
import { describeAdapter, isSoftwareAdapter, type AdapterLike } from './webgpu-adapter.js';

/** What `probeWebGpu` found: an adapter, ready to be turned into the TF.js backend by `start`. */
export interface WebGpuProbe {
  adapter: string;
  software: boolean;
  /** Installs what tfjs-backend-webgpu needs (Node: `navigator.gpu`, GPU* globals) and starts it. */
  start(): Promise<BackendInfo>;
}

/**
 * Finds a WebGPU adapter without changing anything global: `navigator.gpu` in browsers, Dawn
 * (the `webgpu` npm package) in Node. Throws `BackendUnavailableError` when there is none.
 */
export async function probeWebGpu(options: InitBackendOptions = {}): Promise<WebGpuProbe> {
  if (isInitialised('webgpu')) {
    const { adapter, software } = running ?? { adapter: 'started outside initBackend', software: false };
    return { adapter, software, start: () => startTfjsWebGpu(adapter, software, 'requested (already running)') };
  }
  if (isNode()) {
    const { probeDawn } = await import('./webgpu-node.js');
    return probeDawn(options);
  }
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(options?: object): Promise<AdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) {
    throw new BackendUnavailableError('webgpu', 'this browser has no WebGPU (navigator.gpu is missing; Chromium needs a secure context, or --enable-unsafe-webgpu on Linux)');
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new BackendUnavailableError('webgpu', 'navigator.gpu.requestAdapter() found no adapter (GPU blocklisted or disabled?)');
  const description = describeAdapter(adapter);
  const software = isSoftwareAdapter(adapter);
  return { adapter: description, software, start: () => startTfjsWebGpu(description, software, 'requested') };
}

/** The adapter the running backend was started on. */
let running: { adapter: string; software: boolean } | undefined;

/** Imports tfjs-backend-webgpu (which registers itself only if `navigator.gpu` exists) and activates it. */
export async function startTfjsWebGpu(adapter: string, software: boolean, reason: string): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') == null) {
    throw new BackendUnavailableError('webgpu', '@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed, so it did not register itself: let initBackend(\'webgpu\') be the first to import it');
  }
  await activate('webgpu');
  running = { adapter, software };
  return { name: 'webgpu', tfjsBackend: 'webgpu', reason: `${reason} (adapter: ${adapter}${software ? ', software' : ''})`, adapter, softwareAdapter: software };
}

/** WebGPU: the browser's, or Dawn's in Node. */
export async function initWebGpu(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const probe = await probeWebGpu(options);
  return probe.start();
}
