// Replacements for tfjs-backend-wasm kernels whose implementation costs a training step far more
// than the work they do (or, for K = 1 products, crashes). They compute the same values (Sum and
// BatchMatMul to float32 rounding order; the broadcasting binaries bit for bit).
import * as tf from '@tensorflow/tfjs-core';
import { rmsNormKernels } from './kernels/rms-norm-kernel.js';
import { ropeKernels } from './kernels/rope-kernel.js';
import { swigluKernels } from './kernels/swiglu-kernel.js';

import { installBatchMatMul } from './wasm/batch-matmul.js';
import { installBroadcastBinary } from './wasm/broadcast.js';
import { installCast } from './wasm/cast.js';
import { installCopies } from './wasm/copy-rows.js';
import { denseChunksGradient, denseChunksKernel } from './wasm/dense-chunks.js';
import { installIdentity } from './wasm/identity.js';
import { installSum } from './wasm/sum.js';
import { installTranspose } from './wasm/transpose.js';

export { setWasmBroadcastKernels } from './wasm/broadcast.js';
export { setWasmGemmRouting } from './wasm/batch-matmul.js';

/**
 * Installs the replacements once (idempotent); call after tfjs-backend-wasm has registered its
 * kernels. One kernel per file in ./wasm/ (the shared heap helpers in wasm/heap.ts).
 */
export function installWasmKernels(): void {
  // tfjs's own Transpose and Multiply, taken before our broadcasting Multiply replaces it.
  const natives = { transpose: tf.getKernel(tf.Transpose, 'wasm')!.kernelFunc, multiply: tf.getKernel(tf.Multiply, 'wasm')!.kernelFunc };
  // Fused kernels of our own ops (ops/rms-norm.ts, ops/swiglu.ts, ops/rope.ts), registered under names of their own.
  for (const kernel of [...rmsNormKernels, ...swigluKernels, ...ropeKernels, denseChunksKernel])
    if (!tf.getKernel(kernel.kernelName, 'wasm')) tf.registerKernel(kernel);
  if (!tf.getGradient(denseChunksGradient.kernelName)) tf.registerGradient(denseChunksGradient);
  installIdentity();
  installCast();
  installSum();
  installBroadcastBinary();
  installBatchMatMul(natives);
  installTranspose();
  installCopies();
}
