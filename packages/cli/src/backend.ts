import { backendNames, initBackend, type BackendInfo, type BackendRequest, type InitBackendOptions } from '@pixelrepa/tensor';
import { defineFlags } from './flags.js';
import type { OutputStream } from './context.js';

/** `--backend` and `--threads`, shared by every command that runs a network. */
export const backendFlags = defineFlags({
  backend: {
    type: 'string',
    value: 'name',
    default: 'auto',
    choices: ['auto', ...[...backendNames].reverse()],
    group: 'Backend',
    description: 'where tensors run; auto takes the best that starts here (node-gpu > node > webgpu on a hardware GPU > wasm > cpu); see pixelrepa info',
  },
  threads: { type: 'integer', min: 1, value: 'n', group: 'Backend', description: 'wasm threads (default: all cores)' },
  xnnpack_threads: {
    type: 'integer',
    min: 1,
    value: 'n',
    group: 'Backend',
    description:
      "wasm: threads of tfjs's XNNPACK pool (convolutions, elementwise ops; ≤ --threads). Default: 1 for train and sample (transformers: our GEMM uses every thread, and XNNPACK's idle threads would spin on its cores), all threads for eval (the Inception's convolutions)",
  },
});

/**
 * How a command's work uses the wasm backend: 'transformer' (matrix products on our GEMM, a few
 * XNNPACK elementwise ops: XNNPACK gets 1 thread unless asked) or 'convolutions' (XNNPACK gets all).
 */
export type WasmWorkload = 'transformer' | 'convolutions';

/** The options of initBackend for these flags and this workload. */
export function backendOptions(values: { threads?: number; xnnpack_threads?: number }, workload: WasmWorkload): InitBackendOptions {
  const xnnpackThreads = values.xnnpack_threads ?? (workload === 'transformer' ? 1 : undefined);
  return { ...(values.threads ? { threads: values.threads } : {}), ...(xnnpackThreads ? { xnnpackThreads } : {}) };
}

/** Starts the backend the flags ask for and says on `stderr` which one runs and how. */
export async function startBackend(
  values: { backend: string; threads?: number; xnnpack_threads?: number },
  stderr: OutputStream,
  workload: WasmWorkload = 'transformer',
): Promise<BackendInfo> {
  const info = await initBackend(values.backend as BackendRequest, backendOptions(values, workload));
  stderr.write(`backend: ${describeBackend(info)}\n`);
  return info;
}

/** `wasm (2 threads, SIMD)`, `webgpu (NVIDIA …)`. */
export function describeBackend(info: BackendInfo): string {
  const details = [
    info.threads !== undefined ? `${info.threads} thread${info.threads === 1 ? '' : 's'}` : undefined,
    info.xnnpackThreads !== undefined && info.xnnpackThreads !== info.threads ? `XNNPACK on ${info.xnnpackThreads}` : undefined,
    info.simd ? 'SIMD' : undefined,
    info.adapter,
    info.gpu !== undefined ? (info.gpu ? 'CUDA device found' : 'no CUDA device') : undefined,
  ].filter(Boolean);
  return `${info.name}${details.length ? ` (${details.join(', ')})` : ''}`;
}
