import * as tf from '@tensorflow/tfjs-core';

/** One kernel call seen by `recordKernels`. */
export interface KernelRecord {
  /** The registered kernel's name (`BatchMatMul`, `Multiply`, …). */
  name: string;
  inputShapes: number[][];
  /** `performance.now()` when the call started, and its duration (ms). */
  startMs: number;
  ms: number;
}

/**
 * Runs `fn` with every kernel registered for the current backend wrapped in a timer and returns
 * each kernel call in order. Unlike `tf.profile`, only registered kernels are seen, so custom
 * gradients' scopes (whose time includes their kernels') are never counted twice, and each call has
 * a start time (to tell the parts of a step apart). Times are wall times of the kernel function:
 * the work itself on the synchronous backends (cpu, wasm), only the dispatch on GPU backends.
 * Kernels that call other kernels' functions directly count once, under the outer name.
 */
export async function recordKernels<T>(fn: () => Promise<T>): Promise<{ result: T; kernels: KernelRecord[] }> {
  const backendName = tf.getBackend();
  const originals = tf.getKernelsForBackend(backendName);
  const kernels: KernelRecord[] = [];
  let depth = 0;
  for (const kernel of originals) {
    tf.unregisterKernel(kernel.kernelName, backendName);
    tf.registerKernel({
      ...kernel,
      kernelFunc: (args) => {
        const startMs = performance.now();
        depth++;
        try {
          return kernel.kernelFunc(args);
        } finally {
          depth--;
          // A kernel run from inside another through the engine belongs to the outer one.
          if (depth === 0) {
            const inputShapes = Object.values(args.inputs).map((input) => (input ? [...input.shape] : []));
            kernels.push({ name: kernel.kernelName, inputShapes, startMs, ms: performance.now() - startMs });
          }
        }
      },
    });
  }
  try {
    return { result: await fn(), kernels };
  } finally {
    for (const kernel of originals) {
      tf.unregisterKernel(kernel.kernelName, backendName);
      tf.registerKernel(kernel);
    }
  }
}
