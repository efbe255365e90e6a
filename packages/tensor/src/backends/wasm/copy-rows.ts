import * as tf from '@tensorflow/tfjs-core';
import { copyRowsShared, copyRowsUnshared } from '../kernels/copy-rows-wasm.js';
import { instantiateOn, mergeContiguousLevels, offsetOf, onEachHeap, replace, rowMajorStrides, type WasmBackend } from './heap.js';

type CopyRows = (src: number, dst: number, n0: number, n1: number, s0: number, s1: number, t0: number, t1: number, bytes: number) => void;

/** copy-rows.wat on the backend's memory (once per memory); null where the memory is unavailable. */
const copyRows = onEachHeap((memory) => instantiateOn<{ run: CopyRows }>(memory, { shared: copyRowsShared, unshared: copyRowsUnshared }).run);

/** The 4-byte dtypes whose bytes our copies move (bool and string keep tfjs's kernels). */
const copied = new Set<tf.DataType>(['float32', 'int32']);

/**
 * A slice of a row-major tensor as rows of contiguous values: `d` values per row, at most two levels
 * of (count, input stride in values) above them, the first value's index in the input; null where more
 * than two levels remain after merging the contiguous ones.
 */
export function sliceRowsPlan(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): { d: number; levels: Array<[number, number]>; offset: number } | null {
  const rank = shape.length;
  const strides = rowMajorStrides(shape);
  const offset = begin.reduce((sum, b, i) => sum + b * strides[i], 0);
  // The run: the last axes while they are whole, and the first axis (from the right) that is not.
  let axis = rank - 1;
  let d = 1;
  for (; axis >= 0; axis--) {
    d *= size[axis];
    if (size[axis] !== shape[axis]) break;
  }
  const levels: Array<[number, number]> = [];
  for (let i = 0; i < axis; i++) if (size[i] !== 1) levels.push([size[i], strides[i]]);
  mergeContiguousLevels(levels);
  if (levels.length > 2) return null;
  while (levels.length < 2) levels.unshift([1, 0]);
  return { d, levels, offset };
}

function sliceWith(kernel: CopyRows, backend: WasmBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo | null {
  const plan = sliceRowsPlan(x.shape, begin, size);
  if (!plan) return null;
  const out = backend.makeOutput([...size], x.dtype);
  if (plan.d > 0 && size.every((s) => s > 0)) {
    const [[n0, s0], [n1, s1]] = plan.levels;
    kernel(offsetOf(backend, x) + 4 * plan.offset, offsetOf(backend, out), n0, n1, 4 * s0, 4 * s1, 4 * n1 * plan.d, 4 * plan.d, 4 * plan.d);
  }
  return out;
}

/**
 * Slice, SplitV and Concat of 4-byte tensors as row copies (copy-rows.wat): tfjs-backend-wasm copies
 * a slice or a concatenation one innermost row at a time from JS (a typed-array view and a `set` per
 * row: ~4 ms to take 64 of 72 tokens of a [32, 72, 192] batch); here rows that are contiguous in the
 * input are merged first, and each row is one memmove inside WASM. Same bytes as tfjs's kernels.
 */
export function installCopies(): void {
  replace(tf.Slice, (native) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const backend = args.backend as unknown as WasmBackend;
    const kernel = copied.has(x.dtype) ? copyRows(backend) : null;
    if (!kernel) return native(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return sliceWith(kernel, backend, x, begin_, size_) ?? native(args);
  });
  replace(tf.SplitV, (native) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const backend = args.backend as unknown as WasmBackend;
    const kernel = copied.has(x.dtype) ? copyRows(backend) : null;
    if (!kernel) return native(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    const size = [...x.shape];
    // Every part has the same plan shape, so the first tells whether all can be copied.
    if (!sliceRowsPlan(x.shape, begin, [...size.slice(0, $axis), sizes[0], ...size.slice($axis + 1)])) return native(args);
    return sizes.map((s) => {
      size[$axis] = s;
      const part = sliceWith(kernel, backend, x, [...begin], [...size])!;
      begin[$axis] += s;
      return part;
    });
  });
  replace(tf.Concat, (native) => (args) => {
    const inputs = (args.inputs as unknown as tf.TensorInfo[]).filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    const backend = args.backend as unknown as WasmBackend;
    const kernel = inputs.length > 1 && inputs.every((t) => t.dtype === inputs[0].dtype && copied.has(t.dtype)) ? copyRows(backend) : null;
    if (!kernel) return native(args);
    const axis = tf.util.parseAxisParam((args.attrs as unknown as { axis: number }).axis, inputs[0].shape)[0];
    tf.backend_util.assertParamsConsistent(
      inputs.map((t) => t.shape),
      axis,
    );
    const out = backend.makeOutput(
      tf.backend_util.computeOutShape(
        inputs.map((t) => t.shape),
        axis,
      ),
      inputs[0].dtype,
    );
    // Each input is [outer, inner_i]; it goes into columns [at, at + inner_i) of the [outer, Σ inner] output.
    const outer = tf.util.sizeFromShape(inputs[0].shape.slice(0, axis));
    const inners = inputs.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
    const total = inners.reduce((a, b) => a + b, 0);
    const outAt = offsetOf(backend, out);
    let at = 0;
    inputs.forEach((input, i) => {
      kernel(offsetOf(backend, input), outAt + 4 * at, outer, 1, 4 * inners[i], 0, 4 * total, 0, 4 * inners[i]);
      at += inners[i];
    });
    return out;
  });
}
