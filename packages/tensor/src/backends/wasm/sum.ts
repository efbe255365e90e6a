import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulShared, batchMatMulUnshared } from '../kernels/batch-matmul-wasm.js';
import { instantiateOn, offsetOf, onEachHeap, replace, type WasmBackend } from './heap.js';

/** Sums over leading (or middle) axes as products with ones on batch-matmul.wat. */
export function installSum(): void {
  replace(tf.Sum, (native) => (args) => {
    // A sum over leading axes (bias and broadcast gradients: [M, N] → [N]) or over a block of
    // middle axes (adaLN's per-sample gradients: [B, T, C] → [B, 1, C]) makes the wasm kernel
    // transpose its input first (~4 ms for 2304×512). ones[4, R] @ x[R, rest] on our SIMD kernel,
    // once per outer index, reads x once in order (~0.5 ms) and row 0 is the sum. Other
    // reductions (the last axis among them) keep the native kernel.
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const first = axes[0] ?? 0;
    const block = axes.every((value, i) => value === first + i);
    const last = first + axes.length; // the first axis after the summed block
    const backend = args.backend as unknown as WasmBackend;
    const kernel = simdBatchMatMul(backend);
    if (!kernel || x.dtype !== 'float32' || !block || axes.length === 0 || last === x.shape.length) return native(args);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, first));
    const reduce = tf.util.sizeFromShape(x.shape.slice(first, last));
    const rest = tf.util.sizeFromShape(x.shape.slice(last));
    if (reduce < (outer === 1 ? 2 : 8) || rest % 8 !== 0) return native(args); // many tiny sums: native
    const rows = backend.makeOutput([4, rest], 'float32');
    const outShape = keepDims ? x.shape.map((d, i) => (i >= first && i < last ? 1 : d)) : [...x.shape.slice(0, first), ...x.shape.slice(last)];
    const out = backend.makeOutput(outShape, 'float32');
    const row0 = backend.typedArrayFromHeap({ ...rows, shape: [rest] });
    const outValues = backend.typedArrayFromHeap(out);
    const onesAt = offsetOf(backend, ones(backend, reduce));
    const [xAt, rowsAt] = [offsetOf(backend, x), offsetOf(backend, rows)];
    for (let o = 0; o < outer; o++) {
      kernel(onesAt, xAt + o * reduce * rest * 4, rowsAt, 1, 4, reduce, rest);
      outValues.set(row0, o * rest);
    }
    backend.disposeData(rows.dataId);
    return out;
  });
}

type BatchMatMulKernel = (a: number, b: number, c: number, batch: number, m: number, k: number, n: number) => void;

/** Our SIMD kernel instantiated on the backend's memory (once per memory); null where WASM SIMD or the memory is unavailable (tfjs's own kernel stays in use). */
const simdBatchMatMul = onEachHeap(
  (memory) => instantiateOn<{ bmm: BatchMatMulKernel }>(memory, { shared: batchMatMulShared, unshared: batchMatMulUnshared }).bmm,
);

/** ones [4, n], kept for the backend's lifetime. */
const onesCache = new WeakMap<object, Map<number, tf.TensorInfo>>();
function ones(backend: WasmBackend, n: number): tf.TensorInfo {
  let byLength = onesCache.get(backend);
  if (!byLength) onesCache.set(backend, (byLength = new Map()));
  let block = byLength.get(n);
  if (!block) {
    block = backend.makeOutput([4, n], 'float32');
    backend.typedArrayFromHeap(block).fill(1);
    byLength.set(n, block);
  }
  return block;
}
