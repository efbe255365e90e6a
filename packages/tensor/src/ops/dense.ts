import * as tf from '@tensorflow/tfjs-core';
import { denseChunksKernelName, wasmDenseChunksReady } from '../backends/wasm/dense-chunks.js';
import { fusedKernelsOn } from './fused.js';

const denseOp = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: (tensors: tf.Tensor[]) => void) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [x, w] = saved as tf.Tensor2D[];
      // On wasm both transposed products run on our GEMM, which reads the transposed operand in
      // place (initBackend's BatchMatMul replacement; shapes it does not take are transposed first).
      return [tf.matMul(dy, w, false, true), tf.matMul(x, dy, true, false)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * `a @ b` for a layer: a: [M, K] activations, b: [K, N] weights → [M, N]; its gradient is
 * `dy @ bᵀ` and `aᵀ @ dy`, transposed products read in place.
 */
export function dense(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return denseOp(a, b);
}

/**
 * `dense(a, b)` in `chunks` equal column blocks (`torch.chunk(linear(x), n, -1)`): a: [M, K], b:
 * [K, N] → chunks × [M, N / chunks]. On wasm, where the blocks fit our GEMM, each block is its own
 * product reading its columns of b in place (no split copies); elsewhere `tf.split(dense(a, b))`.
 * Values and gradients are the same on both routes.
 */
export function denseChunks(a: tf.Tensor2D, b: tf.Tensor2D, chunks: number): tf.Tensor2D[] {
  const [m, k] = a.shape;
  const n = b.shape[1];
  if (!Number.isInteger(chunks) || chunks < 1 || n % chunks !== 0) throw new Error(`cannot split ${n} columns into ${chunks} equal chunks`);
  const fused = fusedKernelsOn('denseChunks') && a.dtype === 'float32' && b.dtype === 'float32' && wasmDenseChunksReady(m, k, n / chunks);
  if (fused) return tf.engine().runKernel(denseChunksKernelName, { a, b }, { chunks } as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
  return tf.tidy(() => tf.split(dense(a, b), chunks, 1));
}
