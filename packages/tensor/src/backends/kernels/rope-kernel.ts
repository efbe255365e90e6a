import * as tf from '@tensorflow/tfjs-core';
import { instantiateOn, offsetOf, onEachHeap, wasmKernelReady, type WasmBackend } from '../wasm/heap.js';
import { ropeShared, ropeUnshared } from './rope-wasm.js';

// rope.wat as two tfjs kernels of the wasm backend, run by ops/rope.ts's custom gradient:
//   RopeWasm      inputs x [..., N, D], cos [N, D], sin [N, D]   → y  = x · cos + rot(x) · sin
//   RopeGradWasm  inputs dy [..., N, D], cos [N, D], sin [N, D]  → dx (the gradient wrt x only)
// Float32 only, x (dy) of rank ≥ 2 and non-empty, cos and sin of x's last two dims, D a multiple
// of 4 (ops/rope.ts checks before calling). The leading dims of x are one outer dim.

export const ropeKernelName = 'RopeWasm';
export const ropeGradKernelName = 'RopeGradWasm';

export interface RopeExports {
  forward(x: number, cos: number, sin: number, y: number, outer: number, nd: number): void;
  backward(dy: number, cos: number, sin: number, dx: number, outer: number, nd: number): void;
}

/** rope.wat instantiated on `memory` (shared or not); throws where the engine has no WASM SIMD. */
export function instantiateRope(memory: WebAssembly.Memory): RopeExports {
  return instantiateOn<RopeExports>(memory, { shared: ropeShared, unshared: ropeUnshared });
}

const kernelOn = onEachHeap(instantiateRope);

/** Whether the active backend runs the fused kernels (wasm with SIMD, kernels installed). */
export function wasmRopeReady(): boolean {
  return wasmKernelReady(ropeKernelName, kernelOn);
}

/** Runs `pass` of rope.wat on `input` ([outer, N, D] contiguous) with the tables → a tensor of input's shape. */
function run(heap: WasmBackend, pass: keyof RopeExports, input: tf.TensorInfo, cos: tf.TensorInfo, sin: tf.TensorInfo): tf.TensorInfo {
  const out = heap.makeOutput([...input.shape], 'float32');
  const nd = tf.util.sizeFromShape(cos.shape);
  const at = (info: tf.TensorInfo) => offsetOf(heap, info);
  kernelOn(heap)![pass](at(input), at(cos), at(sin), at(out), tf.util.sizeFromShape(input.shape) / nd, nd);
  return out;
}

/** The two kernel configs for the wasm backend (run only where `wasmRopeReady()`). */
export const ropeKernels: tf.KernelConfig[] = [
  {
    kernelName: ropeKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { x, cos, sin } = inputs as { x: tf.TensorInfo; cos: tf.TensorInfo; sin: tf.TensorInfo };
      return run(backend as unknown as WasmBackend, 'forward', x, cos, sin);
    },
  },
  {
    kernelName: ropeGradKernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { dy, cos, sin } = inputs as { dy: tf.TensorInfo; cos: tf.TensorInfo; sin: tf.TensorInfo };
      return run(backend as unknown as WasmBackend, 'backward', dy, cos, sin);
    },
  },
];
