import { backendNames, initBackend, type BackendInfo, type BackendRequest } from '@pixelrepa/tensor';
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
});

/** Starts the backend the flags ask for and says on `stderr` which one runs and how. */
export async function startBackend(values: { backend: string; threads?: number }, stderr: OutputStream): Promise<BackendInfo> {
  const info = await initBackend(values.backend as BackendRequest, values.threads ? { threads: values.threads } : {});
  stderr.write(`backend: ${describeBackend(info)}\n`);
  return info;
}

/** `wasm (2 threads, SIMD)`, `webgpu (NVIDIA …)`. */
export function describeBackend(info: BackendInfo): string {
  const details = [
    info.threads !== undefined ? `${info.threads} thread${info.threads === 1 ? '' : 's'}` : undefined,
    info.simd ? 'SIMD' : undefined,
    info.adapter,
    info.gpu !== undefined ? (info.gpu ? 'CUDA device found' : 'no CUDA device') : undefined,
  ].filter(Boolean);
  return `${info.name}${details.length ? ` (${details.join(', ')})` : ''}`;
}
