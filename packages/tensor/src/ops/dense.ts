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
 * `a @ b (+ bias)` for a layer: a: [M, K] activations, b: [K, N] weights, bias: [N] → [M, N]; its
 * gradient is `dy @ bᵀ`, `aᵀ @ dy` (transposed products read in place) and the column sums of dy.
 * On wasm the bias is added in our GEMM's epilogue (the same single rounding as a separate Add).
 */
export function dense(a: tf.Tensor2D, b: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  if (!bias) return denseOp(a, b);
  if (fusable(a, b, bias, 1))
    return (tf.engine().runKernel(denseChunksKernelName, { a, b, bias }, { chunks: 1 } as unknown as tf.NamedAttrMap) as tf.Tensor2D[])[0];
  return tf.tidy(() => tf.add(denseOp(a, b), bias));
}

function fusable(a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D | undefined, chunks: number): boolean {
  const [m, k] = a.shape;
  const n = b.shape[1];
  return (
    fusedKernelsOn('denseChunks') &&
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    (!bias || (bias.dtype === 'float32' && bias.rank === 1 && bias.shape[0] === n)) &&
    wasmDenseChunksReady(m, k, n / chunks)
  );
}

/**
 * `dense(a, b, bias)` in `chunks` equal column blocks (`torch.chunk(linear(x), n, -1)`): a: [M, K],
 * b: [K, N], bias: [N] → chunks × [M, N / chunks]. On wasm, where the blocks fit our GEMM, each
 * block is its own product reading its columns of b in place (no split copies), its bias added in
 * the GEMM's epilogue; elsewhere `tf.split(dense(a, b, bias))`. Values and gradients are the same on
 * both routes.
 */
export function denseChunks(a: tf.Tensor2D, b: tf.Tensor2D, chunks: number, bias?: tf.Tensor1D): tf.Tensor2D[] {
  const n = b.shape[1];
  if (!Number.isInteger(chunks) || chunks < 1 || n % chunks !== 0) throw new Error(`cannot split ${n} columns into ${chunks} equal chunks`);
  if (fusable(a, b, bias, chunks)) {
    const inputs: tf.NamedTensorMap = bias ? { a, b, bias } : { a, b };
    return tf.engine().runKernel(denseChunksKernelName, inputs, { chunks } as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
  }
  return tf.tidy(() => tf.split(dense(a, b, bias), chunks, 1));
}
