import type { BackendInfo, InitBackendOptions } from './types.js';
import { BackendUnavailableError } from './types.js';
import { isInitialised } from './common.js';
import { isNode } from './environment.js';
import { describeAdapter, isSoftwareAdapter, type AdapterLike } from './webgpu-adapter.js';
import { runningAdapter, startTfjsWebGpu, type WebGpuProbe } from './webgpu-start.js';

export type { WebGpuProbe } from './webgpu-start.js';

/**
 * Finds a WebGPU adapter without changing anything global: `navigator.gpu` in browsers, Dawn
 * (the `webgpu` npm package) in Node. Throws `BackendUnavailableError` when there is none.
 */
export async function probeWebGpu(options: InitBackendOptions = {}): Promise<WebGpuProbe> {
  if (isInitialised('webgpu')) {
    const { adapter, software } = runningAdapter() ?? { adapter: 'started outside initBackend', software: false };
    return { adapter, software, start: () => startTfjsWebGpu(adapter, software, 'requested (already running)') };
  }
  if (isNode()) {
    const { probeDawn } = await import('./webgpu-node.js');
    return probeDawn(options);
  }
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(options?: object): Promise<AdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) {
    throw new BackendUnavailableError(
      'webgpu',
      'this browser has no WebGPU (navigator.gpu is missing; Chromium needs a secure context, or --enable-unsafe-webgpu on Linux)',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new BackendUnavailableError('webgpu', 'navigator.gpu.requestAdapter() found no adapter (GPU blocklisted or disabled?)');
  const description = describeAdapter(adapter);
  const software = isSoftwareAdapter(adapter);
  return { adapter: description, software, start: () => startTfjsWebGpu(description, software, 'requested') };
}

/** WebGPU: the browser's, or Dawn's in Node. */
export async function initWebGpu(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const probe = await probeWebGpu(options);
  return probe.start();
}
