import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from '../backends/table.js';

/**
 * Where only a plain 2-D `a @ b` is fast (WASM: XNNPACK ~20–40 GFLOP/s; transposed or batched
 * products fall back to a naive loop, ~2 GFLOP/s), `dense` keeps every product of a layer's
 * forward AND backward pass in that form by transposing explicitly (cheap) where the gradient
 * needs `dy @ bᵀ` and `aᵀ @ dy`.
 */
function product(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D {
  if (!backendCapabilities().plainMatmulOnly) return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}


const denseOp = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: (tensors: tf.Tensor[]) => void) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [x, w] = saved as tf.Tensor2D[];
      // tidy: the explicit transposes are freed now, not when the whole backward pass ends.
      return tf.tidy(() => [product(dy, w, false, true), product(x, dy, true, false)]);
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * `a @ b` for a layer: a: [M, K] activations, b: [K, N] weights → [M, N], with a gradient whose
 * two products stay on the fast matmul path of every backend.
 */
export function dense(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return denseOp(a, b);
}
