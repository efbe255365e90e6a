import * as tf from '@tensorflow/tfjs-core';
import { ropeGradKernelName, ropeKernelName, wasmRopeReady } from '../backends/kernels/rope-kernel.js';
import { dense } from './dense.js';
import { fusedKernelsOn } from './fused.js';

/** R with x·R = rotateHalf(x): R[2i+1, 2i] = −1, R[2i, 2i+1] = 1 (cached per size). */
const rotations = new Map<number, Float32Array>();
function rotationMatrix(size: number): Float32Array {
  let matrix = rotations.get(size);
  if (!matrix) {
    matrix = new Float32Array(size * size);
    for (let i = 0; i < size; i += 2) {
      matrix[(i + 1) * size + i] = -1;
      matrix[i * size + i + 1] = 1;
    }
    rotations.set(size, matrix);
  }
  return matrix;
}

/**
 * Adjacent-pair rotation: (x₀, x₁, x₂, x₃, …) → (−x₁, x₀, −x₃, x₂, …). Computed as a product with
 * a signed permutation matrix — exact (one ±1 per column), and a fast 2-D matmul on every backend
 * (its gradient, the inverse rotation, too). x: [..., D] → [..., D]
 */
export function rotateHalf(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = x.shape;
    const last = shape[shape.length - 1];
    if (last % 2 !== 0) throw new Error(`rotateHalf needs an even last dimension, got ${last}`);
    const flat = tf.reshape(x, [-1, last]) as tf.Tensor2D;
    return tf.reshape(dense(flat, tf.tensor2d(rotationMatrix(last), [last, last])), shape);
  });
}

/** The composite form (every backend without the fused kernel): x · cos + rotateHalf(x) · sin. */
function composite(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin)));
}

/**
 * The fused op: kernels/rope.wat forward, and backward (dx from dy, cos, sin) as its gradient. The
 * tables are constants: x is the custom gradient's only input, so none is computed for them; they
 * are saved with it (kept until the backward pass, as Multiply's gradient keeps its inputs).
 */
function fusedOp(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((input: tf.Tensor, save: (tensors: tf.Tensor[]) => void) => {
    const y = tf.engine().runKernel(ropeKernelName, { x: input, cos, sin }) as tf.Tensor;
    save([cos, sin]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sc, ss] = saved;
        return tf.engine().runKernel(ropeGradKernelName, { dy, cos: sc, sin: ss }) as tf.Tensor;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (input: tf.Tensor) => tf.Tensor;
  return op(x);
}

/**
 * Rotary position embedding with adjacent-pair rotation: `x · cos + rotateHalf(x) · sin`.
 * x: [..., N, D] (e.g. [B, H, N, D]), cos/sin: [N, D] constant tables → x's shape; the gradient
 * flows to x only. On wasm, for float32 operands with cos/sin of x's last two dims and D a multiple
 * of 4, one fused kernel each way (kernels/rope.wat; values and x's gradient bit-identical to the
 * composite ops); elsewhere (other backends, other shapes) the same formula as tfjs ops.
 */
export function rope(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  const [n, d] = x.shape.slice(-2);
  const canFuse =
    fusedKernelsOn('rope') &&
    x.rank >= 2 &&
    x.size > 0 &&
    d % 4 === 0 &&
    tf.util.arraysEqual(cos.shape, [n, d]) &&
    tf.util.arraysEqual(sin.shape, [n, d]) &&
    x.dtype === 'float32' &&
    cos.dtype === 'float32' &&
    sin.dtype === 'float32' &&
    wasmRopeReady();
  return canFuse ? tf.tidy(() => fusedOp(x, cos, sin)) : composite(x, cos, sin);
}
