// A backend with a bounded heap (tfjs-backend-wasm: 32-bit memory, 4 GiB) that runs out fails deep
// inside a kernel with "memory access out of bounds" or an allocation error, naming nothing the
// user can change. `explainHeapExhaustion` turns such an error into one that says what happened.
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from './table.js';

/** The active backend's bounded heap ran out: the message says how full it was and what to change. */
export class HeapExhaustedError extends Error {
  override readonly name = 'HeapExhaustedError';
  constructor(
    message: string,
    readonly heapBytes: number,
    readonly limitBytes: number,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

// Emscripten's runtime aborts ("Aborted()") when its malloc cannot grow the heap any further.
const symptoms = /memory access out of bounds|out of memory|cannot enlarge memory|could not allocate|array buffer allocation failed|^Aborted\(/i;

function heapBytes(): number | undefined {
  const backend = tf.backend() as unknown as { wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } } };
  const memory = backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
  return memory?.buffer.byteLength;
}

/**
 * `error` itself, or — when the active backend has a bounded heap, the error looks like an
 * allocation failure and the heap has grown to at least 80 % of its limit — a HeapExhaustedError
 * that says so and what to do (`what` names the work, e.g. "a JiT-B/16 training step at batch 4").
 *
 * ```ts
 * try { await step(); } catch (error) { throw explainHeapExhaustion(error, 'this training step'); }
 * ```
 */
export function explainHeapExhaustion(error: unknown, what = 'this computation'): unknown {
  const limit = backendCapabilities().heapLimitBytes;
  if (limit === undefined || error instanceof HeapExhaustedError || !(error instanceof Error) || !symptoms.test(error.message)) return error;
  const used = heapBytes();
  if (used === undefined || used < 0.8 * limit) return error;
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(2);
  return new HeapExhaustedError(
    `${what} ran out of the ${tf.getBackend()} backend's memory (${gib(used)} of its ${gib(limit)} GiB heap in use; the kernel reported "${error.message}"): ` +
      'use a smaller batch or model, or a backend without this limit (node, node-gpu, webgpu)',
    used,
    limit,
    { cause: error },
  );
}
