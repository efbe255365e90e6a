import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, InitBackendOptions } from './types.js';
import { activate, isInitialised } from './common.js';
import { coreCount, isCrossOriginIsolated, isNode } from './environment.js';
import { installWasmKernels } from './wasm-kernels.js';
import { enableRelaxedSimd } from './kernels/gemm-driver.js';
import { heapOf, isShared, kernelThreads, setKernelThreads, type WasmBackend } from './wasm/heap.js';

let preferredThreads: number | undefined;

/**
 * Sets the WASM thread count the next `initBackend('wasm')` uses when it is given no `threads`.
 * Threads are fixed once the backend has started: asking for another count afterwards throws.
 */
export function setThreadsCount(threads: number): void {
  checkThreads(threads);
  if (isInitialised('wasm') && kernelThreads() !== threads) {
    throw new Error(
      `the wasm backend already runs with ${kernelThreads()} threads in this process; threads are fixed once it starts (use a new process for ${threads})`,
    );
  }
  preferredThreads = threads;
}

/** XNNPACK over WebAssembly with SIMD, multi-threaded in Node and in cross-origin-isolated pages. */
export async function initWasm(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  enableRelaxedSimd();
  installWasmKernels();
  const threads = options.threads ?? preferredThreads ?? coreCount();
  checkThreads(threads);
  const xnnpackThreads = options.xnnpackThreads ?? threads;
  checkThreads(xnnpackThreads);
  if (xnnpackThreads > threads) throw new Error(`xnnpackThreads (${xnnpackThreads}) cannot exceed threads (${threads})`);
  if (isInitialised('wasm')) {
    const running = kernelThreads();
    if (options.threads !== undefined && options.threads !== running) {
      throw new Error(
        `the wasm backend already runs with ${running} threads in this process and cannot be restarted with ${options.threads}; threads are fixed once it starts (use a new process, as the benchmarks do)`,
      );
    }
    if (options.xnnpackThreads !== undefined && options.xnnpackThreads !== wasm.getThreadsCount()) {
      throw new Error(
        `the wasm backend already runs XNNPACK on ${wasm.getThreadsCount()} thread${wasm.getThreadsCount() === 1 ? '' : 's'} in this process and cannot be restarted with ${options.xnnpackThreads}; threads are fixed once it starts (use a new process)`,
      );
    }
    await activate('wasm');
    return describe(running, wasm.getThreadsCount(), 'requested (already running)');
  }
  if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths as Parameters<typeof wasm.setWasmPaths>[0]);
  wasm.setThreadsCount(xnnpackThreads);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  let note = '';
  if (threads > 1 && !simd) {
    note = '; this engine has no WASM SIMD, and tfjs ships threads only with SIMD: 1 thread';
  } else if (threads > 1 && isNode()) {
    const { withNodeThreads } = await import('./wasm-node-threads.js');
    await withNodeThreads(threads, () => activate('wasm'));
  } else if (threads > 1 && !isCrossOriginIsolated()) {
    note = '; the page is not cross-origin isolated (send COOP: same-origin and COEP: require-corp headers), so WASM runs on 1 thread';
  } else if (threads > 1) {
    await withBrowserCores(2 * threads, () => activate('wasm'));
  }
  await activate('wasm');
  // The threaded build runs on a shared memory; elsewhere (no SIMD, a page that is not isolated) one thread.
  const memory = heapOf(tf.backend() as unknown as WasmBackend);
  const running = memory && isShared(memory) ? threads : 1;
  setKernelThreads(running);
  return describe(running, Math.min(wasm.getThreadsCount(), running), `requested${note}`);
}

function describe(threads: number, xnnpackThreads: number, reason: string): BackendInfo {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const xnnpack = xnnpackThreads !== threads ? `, XNNPACK on ${xnnpackThreads}` : '';
  return {
    name: 'wasm',
    tfjsBackend: 'wasm',
    reason: `${reason} (${threads} thread${threads === 1 ? '' : 's'}${xnnpack}${simd ? ', SIMD' : ''})`,
    threads,
    xnnpackThreads,
    simd,
  };
}

function checkThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`WASM threads must be a positive integer, got ${threads}`);
}

/**
 * Browsers: tfjs-backend-wasm gives XNNPACK `hardwareConcurrency / 2` threads at most. Report
 * `cores` while the backend starts so the requested count is honoured, then restore the value.
 */
async function withBrowserCores(cores: number, start: () => Promise<void>): Promise<void> {
  const nav = navigator as Navigator & Record<string, unknown>;
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  } catch {
    // A locked-down navigator: keep tfjs's cap.
  }
  try {
    await start();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else Reflect.deleteProperty(nav, 'hardwareConcurrency');
  }
}
