// Backends are data: for each backend `initBackend` knows, how it is started, how `auto` probes
// or skips it, and what library code may count on while it is active. Library code reads
// `backendCapabilities()` instead of comparing backend names.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, BackendName, InitBackendOptions } from './types.js';
import { backendNames } from './types.js';
import { isNode } from './environment.js';
import { linuxGpuDevices } from './gpu-devices.js';

/** What code running on a backend may count on. */
export interface BackendCapabilities {
  /**
   * Reading values to the host (`dataSync`) costs about a copy: the tensors live in host memory
   * (or libtensorflow's), so cheap checks of inputs may read them. False on GPUs (a readback
   * stalls the pipeline; WebGPU in Node cannot `dataSync` at all).
   */
  cheapHostReads: boolean;
  /** The most bytes all tensors together can take (WASM's 4 GiB heap); undefined: no fixed limit. */
  heapLimitBytes?: number;
}

/** A GPU found without starting its backend: what it is, and how to start on it. */
export interface BackendProbe {
  /** The adapter or renderer in words. */
  adapter: string;
  /** Whether it renders in software (llvmpipe, SwiftShader, …): `auto` passes it over unless `allowSoftwareGpu`. */
  software: boolean;
  start(): Promise<BackendInfo>;
}

export interface BackendEntry {
  /** The TF.js backend it registers (`tensorflow` for node and node-gpu). */
  tfjsBackend: string;
  /** Starts it (importing its TF.js package on first use) and says how it was set up. */
  load(options: InitBackendOptions): Promise<BackendInfo>;
  /** GPUs: finds the adapter first, so `auto` can pass over a software one. */
  probe?(options: InitBackendOptions): Promise<BackendProbe>;
  /** Why `auto` does not try it here, or undefined when it may. */
  skip?(options: InitBackendOptions): string | undefined;
  capabilities: BackendCapabilities;
}

const onHost: BackendCapabilities = { cheapHostReads: true };
const onGpu: BackendCapabilities = { cheapHostReads: false };
const nodeOnly = (options: InitBackendOptions) => (!isNode() && !options.loadModule ? 'runs only in Node' : undefined);
const debugging = () => isNode() && Boolean(process.env.PIXELREPA_DEBUG);

/**
 * Dawn prints to stderr while it looks for adapters: where the machine has no GPU device, `auto`
 * does not load it at all (any adapter would be a software one, which `auto` passes over anyway).
 */
function noGpuDevice(options: InitBackendOptions): string | undefined {
  if (options.allowSoftwareGpu) return undefined;
  const devices = options.gpuDevices ? options.gpuDevices() : options.loadModule || debugging() ? undefined : linuxGpuDevices();
  if (!devices || devices.length > 0) return undefined;
  return 'no GPU device on this machine (no /dev/dri/renderD*, /dev/nvidia*, /dev/dxg): not probed (a software adapter would be slower than wasm); ask for it by name to use it anyway';
}

/** Every backend, in `auto`'s order of preference (`backendNames`). */
export const backendTable: Readonly<Record<BackendName, BackendEntry>> = {
  'node-gpu': {
    tfjsBackend: 'tensorflow',
    load: async (options) => (await import('./node.js')).initNode('node-gpu', options),
    skip: nodeOnly,
    // libtensorflow copies results to the host synchronously; reads are as cheap as node's.
    capabilities: onHost,
  },
  node: {
    tfjsBackend: 'tensorflow',
    load: async (options) => (await import('./node.js')).initNode('node', options),
    skip: nodeOnly,
    capabilities: onHost,
  },
  webgpu: {
    tfjsBackend: 'webgpu',
    load: async (options) => (await import('./webgpu.js')).initWebGpu(options),
    probe: async (options) => (await import('./webgpu.js')).probeWebGpu(options),
    skip: noGpuDevice,
    capabilities: onGpu,
  },
  webgl: {
    tfjsBackend: 'webgl',
    load: async () => (await import('./webgl.js')).initWebGl(),
    probe: async () => (await import('./webgl.js')).probeWebGl(),
    skip: () => (isNode() ? 'runs only in browsers' : undefined),
    capabilities: onGpu,
  },
  wasm: {
    tfjsBackend: 'wasm',
    load: async (options) => (await import('./wasm.js')).initWasm(options),
    capabilities: { cheapHostReads: true, heapLimitBytes: 2 ** 32 },
  },
  cpu: {
    tfjsBackend: 'cpu',
    load: async () => (await import('./cpu.js')).initCpu(),
    capabilities: onHost,
  },
};

/** What an unknown TF.js backend (one registered outside `initBackend`) is assumed to offer. */
const unknownBackend: BackendCapabilities = { cheapHostReads: false };

const byTfjsName = new Map<string, BackendCapabilities>(backendNames.map((name) => [backendTable[name].tfjsBackend, backendTable[name].capabilities]));

/**
 * The capabilities of the active TF.js backend (see `BackendCapabilities`); a backend this table
 * does not know gets the cautious answers (no cheap reads, no heap limit).
 *
 * ```ts
 * if (backendCapabilities().cheapHostReads) checkRange(labels.dataSync());
 * ```
 */
export function backendCapabilities(): BackendCapabilities {
  return byTfjsName.get(tf.getBackend()) ?? unknownBackend;
}
