import * as tf from '@tensorflow/tfjs-core';
import { rmsNormShared, rmsNormUnshared } from './rms-norm-wasm.js';

// rms-norm.wat as two tfjs kernels of the wasm backend, run by ops/rms-norm.ts's custom gradient:
//   RmsNormWasm      inputs x [..., d], weight [d]; attr eps   → y [..., d], r [rows] (rows = x.size / d)
//   RmsNormGradWasm  inputs x, weight, r, dy                    → dx [..., d], dWeight [d]
// Float32 only, d a multiple of 4 (ops/rms-norm.ts checks before calling).

export const rmsNormKernelName = 'RmsNormWasm';
export const rmsNormGradKernelName = 'RmsNormGradWasm';

export interface RmsNormExports {
  forward(x: number, w: number, y: number, r: number, rows: number, d: number, eps: number): void;
  backward(x: number, w: number, r: number, dy: number, dx: number, dw: number, rows: number, d: number): void;
}

/** rms-norm.wat instantiated on `memory` (shared or not); throws where the engine has no WASM SIMD. */
export function instantiateRmsNorm(memory: WebAssembly.Memory): RmsNormExports {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = Uint8Array.from(atob(shared ? rmsNormShared : rmsNormUnshared), (c) => c.charCodeAt(0));
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as RmsNormExports;
}

interface HeapBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** The kernel on a backend's heap (once per memory); null where the engine has no WASM SIMD. */
const instances = new WeakMap<WebAssembly.Memory, RmsNormExports | null>();
function kernelOn(backend: HeapBackend): RmsNormExports | null {
  const memory = backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
  if (!memory) return null;
  let kernel = instances.get(memory);
  if (kernel === undefined) {
    try {
      kernel = instantiateRmsNorm(memory);
    } catch {
      kernel = null;
    }
    instances.set(memory, kernel);
  }
  return kernel;
}

/** Whether the active backend runs the fused kernels (wasm with SIMD, kernels installed). */
export function wasmRmsNormReady(): boolean {
  if (tf.getBackend() !== 'wasm' || tf.getKernel(rmsNormKernelName, 'wasm') === undefined) return false;
  return kernelOn(tf.backend() as unknown as HeapBackend) !== null;
}

const at = (backend: HeapBackend, info: tf.TensorInfo) => backend.dataIdMap.get(info.dataId)!.memoryOffset;

/** The two kernel configs for the wasm backend (run only where `wasmRmsNormReady()`). */
export const rmsNormKernels: tf.KernelConfig[] = [
  {
    kernelName: rmsNormKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const heap = backend as unknown as HeapBackend;
      const { x, weight } = inputs as { x: tf.TensorInfo; weight: tf.TensorInfo };
      const d = x.shape[x.shape.length - 1];
      const rows = tf.util.sizeFromShape(x.shape) / d;
      const y = heap.makeOutput([...x.shape], 'float32');
      const r = heap.makeOutput([rows], 'float32');
      kernelOn(heap)!.forward(at(heap, x), at(heap, weight), at(heap, y), at(heap, r), rows, d, (attrs as unknown as { eps: number }).eps);
      return [y, r];
    },
  },
  {
    kernelName: rmsNormGradKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const heap = backend as unknown as HeapBackend;
      const { x, weight, r, dy } = inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; r: tf.TensorInfo; dy: tf.TensorInfo };
      const d = x.shape[x.shape.length - 1];
      const rows = tf.util.sizeFromShape(x.shape) / d;
      const dx = heap.makeOutput([...x.shape], 'float32');
      const dw = heap.makeOutput([d], 'float32');
      kernelOn(heap)!.backward(at(heap, x), at(heap, weight), at(heap, r), at(heap, dy), at(heap, dx), at(heap, dw), rows, d);
      return [dx, dw];
    },
  },
];
