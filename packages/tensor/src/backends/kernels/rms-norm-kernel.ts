import * as tf from '@tensorflow/tfjs-core';
import { instantiateOn, offsetOf, onEachHeap, wasmKernelReady, type WasmBackend } from '../wasm/heap.js';
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
  return instantiateOn<RmsNormExports>(memory, { shared: rmsNormShared, unshared: rmsNormUnshared });
}

const kernelOn = onEachHeap(instantiateRmsNorm);

/** Whether the active backend runs the fused kernels (wasm with SIMD, kernels installed). */
export function wasmRmsNormReady(): boolean {
  return wasmKernelReady(rmsNormKernelName, kernelOn);
}

/** The two kernel configs for the wasm backend (run only where `wasmRmsNormReady()`). */
export const rmsNormKernels: tf.KernelConfig[] = [
  {
    kernelName: rmsNormKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const heap = backend as unknown as WasmBackend;
      const { x, weight } = inputs as { x: tf.TensorInfo; weight: tf.TensorInfo };
      const d = x.shape[x.shape.length - 1];
      const rows = tf.util.sizeFromShape(x.shape) / d;
      const y = heap.makeOutput([...x.shape], 'float32');
      const r = heap.makeOutput([rows], 'float32');
      kernelOn(heap)!.forward(
        offsetOf(heap, x),
        offsetOf(heap, weight),
        offsetOf(heap, y),
        offsetOf(heap, r),
        rows,
        d,
        (attrs as unknown as { eps: number }).eps,
      );
      return [y, r];
    },
  },
  {
    kernelName: rmsNormGradKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const heap = backend as unknown as WasmBackend;
      const { x, weight, r, dy } = inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; r: tf.TensorInfo; dy: tf.TensorInfo };
      const d = x.shape[x.shape.length - 1];
      const rows = tf.util.sizeFromShape(x.shape) / d;
      const dx = heap.makeOutput([...x.shape], 'float32');
      const dw = heap.makeOutput([d], 'float32');
      kernelOn(heap)!.backward(
        offsetOf(heap, x),
        offsetOf(heap, weight),
        offsetOf(heap, r),
        offsetOf(heap, dy),
        offsetOf(heap, dx),
        offsetOf(heap, dw),
        rows,
        d,
      );
      return [dx, dw];
    },
  },
];
