import * as tf from '@tensorflow/tfjs-core';

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
