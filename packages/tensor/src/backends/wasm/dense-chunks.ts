import * as tf from '@tensorflow/tfjs-core';
import { WasmGemm } from '../kernels/gemm-driver.js';
import { offsetOf, type WasmBackend } from './heap.js';
import { wasmGemm } from './batch-matmul.js';

// `a @ b` cut into `chunks` equal column blocks (a layer's q/k/v or SwiGLU's two halves) as one
// kernel of the wasm backend: our GEMM runs once per block, reading that block's columns of b in
// place (row stride n) and writing the block's own output, so no output is split (copied) after.
//   DenseChunksWasm  inputs a [M, K], b [K, N], bias [N] (optional); attrs chunks → chunks × [M, N / chunks]
// Every value is the one the whole product gives (each output depends only on its row of a, its
// column of b and the same k order); the bias is one add after the whole sum (gemm.wat's
// epilogue), as a separate Add. Its gradient is the composite's (split's concat, then dense's two
// products, the bias's column sums), so values and gradients equal
// tf.split(tf.add(dense(a, b), bias), chunks, 1) bit for bit.

export const denseChunksKernelName = 'DenseChunksWasm';

/** Whether the active backend can run the kernel for a [m, k] · [k, n / chunks] block product. */
export function wasmDenseChunksReady(m: number, k: number, width: number): boolean {
  if (tf.getBackend() !== 'wasm' || tf.getKernel(denseChunksKernelName, 'wasm') === undefined) return false;
  return WasmGemm.fits(m, k, width) && wasmGemm(tf.backend() as unknown as WasmBackend) !== null;
}

export const denseChunksKernel: tf.KernelConfig = {
  kernelName: denseChunksKernelName,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as unknown as WasmBackend;
    const { a, b, bias } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
    const { chunks } = attrs as unknown as { chunks: number };
    const [m, k] = a.shape;
    const n = b.shape[1];
    const width = n / chunks;
    const gemm = wasmGemm(heap)!;
    return Array.from({ length: chunks }, (_, i) => {
      const out = heap.makeOutput([m, width], 'float32');
      const [aAt, bAt, cAt] = [offsetOf(heap, a), offsetOf(heap, b) + 4 * i * width, offsetOf(heap, out)];
      const biasAt = bias ? offsetOf(heap, bias) + 4 * i * width : 0;
      gemm.run({ a: aAt, b: bAt, c: cAt, batch: 1, m, k, n: width, transposeA: false, transposeB: false, ldb: n, bias: biasAt });
      return out;
    });
  },
};

/** The gradient: the blocks' gradients joined (split's gradient), then dense's `dy @ bᵀ` and `aᵀ @ dy`, the bias's column sums. */
export const denseChunksGradient: tf.GradConfig = {
  kernelName: denseChunksKernelName,
  inputsToSave: ['a', 'b'],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const [a, b] = saved;
    // One output (chunks = 1, a layer with its bias) comes as a tensor, several as a list.
    const dy = Array.isArray(dys) ? (dys.length === 1 ? dys[0] : tf.concat(dys, 1)) : dys;
    return { a: () => tf.matMul(dy, b, false, true), b: () => tf.matMul(a, dy, true, false), bias: () => tf.sum(dy, 0) };
  },
};
