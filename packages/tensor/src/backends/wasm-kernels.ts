import * as tf from '@tensorflow/tfjs-core';

// Replacements for two tfjs-backend-wasm kernels whose implementation costs a training step far
// more than the work they do. Both compute the same values (Sum to float32 rounding order).

interface WasmBackend {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

type Marked = tf.KernelConfig & { pixelrepa?: true };

/** Installs the replacements once (idempotent); call after tfjs-backend-wasm has registered its kernels. */
export function installWasmKernels(): void {
  replace(tf.Identity, (copying) => (args) => {
    // The engine clones (Identity) every tensor it keeps for the backward pass; the wasm kernel
    // copies, here the data is shared under a reference count as on the cpu backend (tfjs data
    // is immutable: the wasm Reshape kernel shares it too, variables swap data on assign).
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return copying(args);
    (args.backend as unknown as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
  replace(tf.Sum, (native) => (args) => {
    // A sum over leading axes (bias and broadcast gradients: [M, N] → [N]) makes the wasm kernel
    // transpose the input first (~4 ms for 2304×512); ones[1, R] @ x[R, rest] on XNNPACK takes
    // ~0.3 ms. Other reductions (trailing axes: already fast) keep the native kernel.
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading || axes.length === 0 || axes.length === x.shape.length) return native(args);
    const reduce = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const restShape = x.shape.slice(axes.length);
    const rest = tf.util.sizeFromShape(restShape);
    if (reduce < 2 || rest < 2) return native(args);
    const backend = args.backend as unknown as WasmBackend;
    const out = batchMatMul({
      inputs: { a: onesRow(backend, reduce), b: { dataId: x.dataId, shape: [reduce, rest], dtype: 'float32' } },
      attrs: { transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap,
      backend: args.backend,
    }) as tf.TensorInfo;
    out.shape = keepDims ? [...axes.map(() => 1), ...restShape] : restShape;
    return out;
  });
}

let batchMatMul: tf.KernelFunc;

/** ones [1, n], kept for the backend's lifetime (XNNPACK also keeps its packed copy). */
const onesCache = new WeakMap<object, Map<number, tf.TensorInfo>>();
function onesRow(backend: WasmBackend, n: number): tf.TensorInfo {
  let byLength = onesCache.get(backend);
  if (!byLength) onesCache.set(backend, (byLength = new Map()));
  let ones = byLength.get(n);
  if (!ones) {
    ones = backend.makeOutput([1, n], 'float32');
    backend.typedArrayFromHeap(ones).fill(1);
    byLength.set(n, ones);
  }
  return ones;
}

function replace(name: string, make: (native: tf.KernelFunc) => tf.KernelFunc): void {
  const kernel = tf.getKernel(name, 'wasm') as Marked | undefined;
  if (!kernel || kernel.pixelrepa) return;
  batchMatMul ??= tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...kernel, kernelFunc: make(kernel.kernelFunc), pixelrepa: true } as Marked);
}
