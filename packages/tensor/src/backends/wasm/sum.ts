import * as tf from '@tensorflow/tfjs-core';
import { columnSumShared, columnSumUnshared } from '../kernels/column-sum-wasm.js';
import { instantiateOn, offsetOf, onEachHeap, replace, type WasmBackend } from './heap.js';

type ColumnSum = (x: number, out: number, outer: number, reduce: number, rest: number) => void;

/** column-sum.wat on the backend's memory (once per memory); null where WASM SIMD is unavailable. */
const columnSum = onEachHeap((memory) => instantiateOn<{ run: ColumnSum }>(memory, { shared: columnSumShared, unshared: columnSumUnshared }).run);

/** Sums over leading (or middle) axes on column-sum.wat. */
export function installSum(): void {
  replace(tf.Sum, (native) => (args) => {
    // A sum over leading axes (bias and broadcast gradients: [M, N] → [N]) or over a block of
    // middle axes (adaLN's per-sample gradients: [B, T, C] → [B, 1, C]) makes the wasm kernel
    // transpose its input first (~4 ms for 2304×512). column-sum.wat reads x once in memory order
    // and adds its rows in order: the sequential sum's bits. Other reductions (the last axis among
    // them) keep the native kernel.
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const first = axes[0] ?? 0;
    const block = axes.every((value, i) => value === first + i);
    const last = first + axes.length; // the first axis after the summed block
    const backend = args.backend as unknown as WasmBackend;
    const kernel = columnSum(backend);
    if (!kernel || x.dtype !== 'float32' || !block || axes.length === 0 || last === x.shape.length) return native(args);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, first));
    const reduce = tf.util.sizeFromShape(x.shape.slice(first, last));
    const rest = tf.util.sizeFromShape(x.shape.slice(last));
    if (reduce < 2 || rest % 4 !== 0) return native(args);
    const outShape = keepDims ? x.shape.map((d, i) => (i >= first && i < last ? 1 : d)) : [...x.shape.slice(0, first), ...x.shape.slice(last)];
    const out = backend.makeOutput(outShape, 'float32');
    kernel(offsetOf(backend, x), offsetOf(backend, out), outer, reduce, rest);
    return out;
  });
}
