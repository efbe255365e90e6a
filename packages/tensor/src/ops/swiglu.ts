import * as tf from '@tensorflow/tfjs-core';
import { swigluGradKernelName, swigluKernelName, wasmSwigluReady } from '../backends/kernels/swiglu-kernel.js';
import { fusedKernelsOn } from './fused.js';

/** The composite form (every backend without the fused kernel): (a · sigmoid(a)) · b. */
function composite(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(a, tf.sigmoid(a)), b));
}

/**
 * The fused op: tfjs's Sigmoid, then kernels/swiglu.wat forward (y = (a · s) · b) and backward
 * (da, db in one pass from a, s, b, dy) as its gradient. Sigmoid's own gradient is inside ours.
 */
const fusedOp = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: (tensors: tf.Tensor[]) => void) => {
  const s = tf.sigmoid(a);
  const y = tf.engine().runKernel(swigluKernelName, { a, s, b }) as tf.Tensor;
  save([a, s, b]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, ss, sb] = saved;
      return tf.engine().runKernel(swigluGradKernelName, { a: sa, s: ss, b: sb, dy }) as tf.Tensor[];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * SwiGLU's gated product `silu(a) · b = (a · sigmoid(a)) · b`. On wasm, for float32 a and b of one
 * shape, tfjs's Sigmoid then one fused kernel each way (kernels/swiglu.wat; values and gradients
 * bit-identical to the composite ops); elsewhere (other backends, broadcasting operands) the same
 * formula as tfjs ops.
 */
export function swiglu(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const canFuse =
    fusedKernelsOn('swiglu') &&
    a.rank >= 1 &&
    a.size > 0 &&
    tf.util.arraysEqual(a.shape, b.shape) &&
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    wasmSwigluReady();
  return canFuse ? tf.tidy(() => fusedOp(a, b)) : composite(a, b);
}
