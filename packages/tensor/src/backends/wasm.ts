import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, InitBackendOptions } from './types.js';
import { activate, isInitialised } from './common.js';
import { coreCount, isCrossOriginIsolated, isNode } from './environment.js';
import { installWasmKernels } from './wasm-kernels.js';
import { enableRelaxedSimd } from './kernels/gemm-driver.js';

let preferredThreads: number | undefined;

/**
 * Sets the WASM thread count the next `initBackend('wasm')` uses when it is given no `threads`.
 * Threads are fixed once the backend has started: asking for another count afterwards throws.
 */
export function setThreadsCount(threads: number): void {
  checkThreads(threads);
  if (isInitialised('wasm') && runningThreads() !== threads) {
    throw new Error(
      `the wasm backend already runs with ${runningThreads()} threads in this process; threads are fixed once it starts (use a new process for ${threads})`,
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
  if (isInitialised('wasm')) {
    const running = wasm.getThreadsCount();
    if (options.threads !== undefined && options.threads !== running) {
      throw new Error(
        `the wasm backend already runs with ${running} threads in this process and cannot be restarted with ${options.threads}; threads are fixed once it starts (use a new process, as the benchmarks do)`,
      );
    }
    await activate('wasm');
    return describe(running, 'requested (already running)');
  }
  if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths as Parameters<typeof wasm.setWasmPaths>[0]);
  wasm.setThreadsCount(threads);
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
  return describe(wasm.getThreadsCount(), `requested${note}`);
}

function describe(threads: number, reason: string): BackendInfo {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  return { name: 'wasm', tfjsBackend: 'wasm', reason: `${reason} (${threads} thread${threads === 1 ? '' : 's'}${simd ? ', SIMD' : ''})`, threads, simd };
}

function runningThreads(): number {
  return (tf.engine().registry as Record<string, { wasm?: { tfjs?: { getThreadsCount(): number } } }>).wasm?.wasm?.tfjs?.getThreadsCount() ?? 1;
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
