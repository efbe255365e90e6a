import * as tf from '@tensorflow/tfjs-core';
import { WasmGemm } from '../kernels/gemm-driver.js';
import { isNode, nodeBuiltin } from '../environment.js';
import { heapOf, kernelThreads, offsetOf, replace, scratch, type WasmBackend } from './heap.js';

/** tfjs's own kernels this replacement falls back on (taken before any of ours replaces them). */
export interface NativeKernels {
  transpose: tf.KernelFunc;
  multiply: tf.KernelFunc;
}

/** Every float32 product that fits on our packed GEMM; K = 1 as a broadcasting multiply; transposes made explicit for the rest. */
export function installBatchMatMul({ transpose, multiply }: NativeKernels): void {
  replace(tf.BatchMatMul, (native) => (args) => {
    // Every float32 product whose shapes fit (N % 4 = 0, same batch dimensions) runs on
    // our packed GEMM (kernels/gemm.wat, fused multiply-add where the engine has relaxed SIMD, both
    // threads in Node), transposed operands read in place. Others go to tfjs's kernel, with
    // transposes made explicit first (its transposed path is a scalar loop, ~1 GFLOP/s).
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as unknown as WasmBackend;
    const batchDims = a.shape.slice(0, -2);
    const batch = tf.util.sizeFromShape(batchDims);
    const M = a.shape[a.shape.length - (transposeA ? 1 : 2)];
    const K = a.shape[a.shape.length - (transposeA ? 2 : 1)];
    const N = b.shape[b.shape.length - (transposeB ? 2 : 1)];
    const float = a.dtype === 'float32' && b.dtype === 'float32';
    if (K === 1 && float) {
      // An outer product (a layer's weight gradient at batch 1) crashes the multi-threaded
      // XNNPACK path ("memory access out of bounds"). With K = 1 a transposed operand has the
      // same memory layout, and every output is one product: a broadcasting multiply.
      const column = { dataId: a.dataId, shape: [...batchDims, M, 1], dtype: a.dtype };
      const row = { dataId: b.dataId, shape: [...b.shape.slice(0, -2), 1, N], dtype: b.dtype };
      return multiply({ inputs: { a: column, b: row }, backend: args.backend, attrs: {} });
    }
    const sameBatch = a.shape.length === b.shape.length && tf.util.arraysEqual(batchDims, b.shape.slice(0, -2));
    const gemm = gemmRouting && float && sameBatch && WasmGemm.fits(M, K, N) ? wasmGemm(backend) : null;
    if (gemm) {
      const out = backend.makeOutput([...batchDims, M, N], 'float32');
      gemm.run({ a: offsetOf(backend, a), b: offsetOf(backend, b), c: offsetOf(backend, out), batch, m: M, k: K, n: N, transposeA, transposeB });
      return out;
    }
    if (!transposeA && !transposeB) return native(args);
    const transposed = (x: tf.TensorInfo, yes: boolean): tf.TensorInfo => {
      if (!yes) return x;
      const rank = x.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      return transpose({ inputs: { x }, backend: args.backend, attrs: { perm } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
    };
    const left = transposed(a, transposeA);
    const right = transposed(b, transposeB);
    const out = native({ ...args, inputs: { a: left, b: right }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
    if (left !== a) backend.disposeData(left.dataId);
    if (right !== b) backend.disposeData(right.dataId);
    return out;
  });
}

let gemmRouting = true;
/** Development switch (benchmarks): false sends every product back to tfjs's kernels. */
export function setWasmGemmRouting(enabled: boolean): void {
  gemmRouting = enabled;
}

/** Our GEMM on the backend's memory (once per memory); null where WASM SIMD or the memory is unavailable. */
const gemms = new WeakMap<WebAssembly.Memory, WasmGemm | null>();
export function wasmGemm(backend: WasmBackend): WasmGemm | null {
  const memory = heapOf(backend);
  if (!memory) return null;
  let gemm = gemms.get(memory);
  if (gemm === undefined) {
    try {
      const threads = Math.max(kernelThreads(), backend.wasm.tfjs?.getThreadsCount?.() ?? 1);
      const Worker = threads > 1 && isNode() ? nodeBuiltin('node:worker_threads').Worker : undefined;
      gemm = new WasmGemm(memory, (bytes) => scratch(backend, bytes), Worker as ConstructorParameters<typeof WasmGemm>[2]);
    } catch {
      gemm = null; // no WASM SIMD in this engine: tfjs's kernels stay in use
    }
    gemms.set(memory, gemm);
  }
  return gemm;
}
