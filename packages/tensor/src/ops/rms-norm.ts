import * as tf from '@tensorflow/tfjs-core';
import { rmsNormGradKernelName, rmsNormKernelName, wasmRmsNormReady } from '../backends/kernels/rms-norm-kernel.js';
import { fusedKernelsOn } from './fused.js';

/** The composite form (every backend without the fused kernel): w · (x · rsqrt(mean(x²) + eps)). */
function composite(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const variance = tf.mean(tf.square(x), -1, true);
    return tf.mul(weight, tf.mul(x, tf.rsqrt(tf.add(variance, eps))));
  });
}

const fusedOps = new Map<number, (x: tf.Tensor, weight: tf.Tensor) => tf.Tensor>();
/** The fused op for one eps: kernels/rms-norm.wat forward, and backward as its gradient. */
function fusedOp(eps: number): (x: tf.Tensor, weight: tf.Tensor) => tf.Tensor {
  let op = fusedOps.get(eps);
  if (!op) {
    op = tf.customGrad(((x: tf.Tensor, weight: tf.Tensor, save: (tensors: tf.Tensor[]) => void) => {
      const [y, r] = tf.engine().runKernel(rmsNormKernelName, { x, weight }, { eps } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      save([x, weight, r]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, sw, sr] = saved;
          return tf.engine().runKernel(rmsNormGradKernelName, { x: sx, weight: sw, r: sr, dy }) as tf.Tensor[];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, weight: tf.Tensor) => tf.Tensor;
    fusedOps.set(eps, op);
  }
  return op;
}

/**
 * Root-mean-square norm over the last axis (LlamaRMSNorm): x [..., D], weight [D] →
 * `weight · x / sqrt(mean(x²) + eps)`. On wasm one fused kernel each way (kernels/rms-norm.wat)
 * for float32 with D a multiple of 4; elsewhere the same formula as tfjs ops.
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  const d = x.shape[x.shape.length - 1];
  const canFuse =
    fusedKernelsOn('rmsNorm') &&
    x.rank >= 1 &&
    d % 4 === 0 &&
    x.dtype === 'float32' &&
    weight.dtype === 'float32' &&
    weight.rank === 1 &&
    weight.shape[0] === d &&
    wasmRmsNormReady();
  return canFuse ? fusedOp(eps)(x, weight) : composite(x, weight, eps);
}
