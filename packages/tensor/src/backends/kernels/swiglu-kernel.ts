import * as tf from '@tensorflow/tfjs-core';
import { instantiateOn, offsetOf, onEachHeap, wasmKernelReady, type WasmBackend } from '../wasm/heap.js';
import { swigluShared, swigluUnshared } from './swiglu-wasm.js';

// swiglu.wat as two tfjs kernels of the wasm backend, run by ops/swiglu.ts's custom gradient:
//   SwigluWasm      inputs a, s = sigmoid(a), b (one shape)   → y = (a · s) · b
//   SwigluGradWasm  inputs a, s, b, dy                         → da, db
// Float32 only, a, s, b (and dy) of one shape, any size (ops/swiglu.ts checks before calling).

export const swigluKernelName = 'SwigluWasm';
export const swigluGradKernelName = 'SwigluGradWasm';

export interface SwigluExports {
  forward(a: number, s: number, b: number, y: number, n: number): void;
  backward(a: number, s: number, b: number, dy: number, da: number, db: number, n: number): void;
}

/** swiglu.wat instantiated on `memory` (shared or not); throws where the engine has no WASM SIMD. */
export function instantiateSwiglu(memory: WebAssembly.Memory): SwigluExports {
  return instantiateOn<SwigluExports>(memory, { shared: swigluShared, unshared: swigluUnshared });
}

const kernelOn = onEachHeap(instantiateSwiglu);

/** Whether the active backend runs the fused kernels (wasm with SIMD, kernels installed). */
export function wasmSwigluReady(): boolean {
  return wasmKernelReady(swigluKernelName, kernelOn);
}

/** The two kernel configs for the wasm backend (run only where `wasmSwigluReady()`). */
export const swigluKernels: tf.KernelConfig[] = [
  {
    kernelName: swigluKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const heap = backend as unknown as WasmBackend;
      const { a, s, b } = inputs as { a: tf.TensorInfo; s: tf.TensorInfo; b: tf.TensorInfo };
      const y = heap.makeOutput([...a.shape], 'float32');
      const at = (info: tf.TensorInfo) => offsetOf(heap, info);
      kernelOn(heap)!.forward(at(a), at(s), at(b), at(y), tf.util.sizeFromShape(a.shape));
      return y;
    },
  },
  {
    kernelName: swigluGradKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const heap = backend as unknown as WasmBackend;
      const { a, s, b, dy } = inputs as { a: tf.TensorInfo; s: tf.TensorInfo; b: tf.TensorInfo; dy: tf.TensorInfo };
      const da = heap.makeOutput([...a.shape], 'float32');
      const db = heap.makeOutput([...a.shape], 'float32');
      const at = (info: tf.TensorInfo) => offsetOf(heap, info);
      kernelOn(heap)!.backward(at(a), at(s), at(b), at(dy), at(da), at(db), tf.util.sizeFromShape(a.shape));
      return [da, db];
    },
  },
];
