import * as tf from '@tensorflow/tfjs-core';
import { permuteRowsShared, permuteRowsUnshared } from '../kernels/permute-rows-wasm.js';
import { instantiateOn, mergeContiguousLevels, offsetOf, onEachHeap, replace, rowMajorStrides, type WasmBackend } from './heap.js';

type PermuteRows = (src: number, dst: number, n0: number, n1: number, n2: number, s0: number, s1: number, s2: number, d: number) => void;

/** permute-rows.wat on the backend's memory (once per memory); null where WASM SIMD is unavailable. */
const permuteRows = onEachHeap((memory) => instantiateOn<{ run: PermuteRows }>(memory, { shared: permuteRowsShared, unshared: permuteRowsUnshared }).run);

/**
 * How a transpose that keeps the last axis maps onto permute-rows.wat: rows of `d` values (the last
 * axis, merged with the output axes before it that stay contiguous in the input), and at most three
 * output levels of (size, input stride in values); null when the last axis moves, d % 4 ≠ 0, or more
 * than three levels remain after merging.
 */
export function permuteRowsPlan(shape: readonly number[], perm: readonly number[]): { d: number; levels: Array<[number, number]> } | null {
  const rank = shape.length;
  if (rank === 0 || perm[rank - 1] !== rank - 1) return null;
  const strides = rowMajorStrides(shape);
  let d = shape[rank - 1];
  const levels: Array<[number, number]> = [];
  for (let i = 0; i < rank - 1; i++) if (shape[perm[i]] !== 1) levels.push([shape[perm[i]], strides[perm[i]]]);
  // The innermost levels that continue the row in the input make the row longer.
  while (levels.length > 0 && levels[levels.length - 1][1] === d) d *= levels.pop()![0];
  mergeContiguousLevels(levels); // neighbouring levels contiguous in the input are one level
  if (d % 4 !== 0 || levels.length > 3) return null;
  while (levels.length < 3) levels.unshift([1, 0]);
  return { d, levels };
}

/** Transposes that keep the last axis (attention's heads, [B, N, H, D] ↔ [B, H, N, D]) as row copies. */
export function installTranspose(): void {
  replace(tf.Transpose, (native) => (args) => {
    // tfjs-backend-wasm walks a transpose element by element (~0.8 ns a value); when the last axis
    // stays last, the output is whole rows of the input, copied by permute-rows.wat with vector
    // loads and stores. A copy: the same bits. Other transposes keep the native kernel.
    const x = args.inputs.x as tf.TensorInfo;
    const { perm } = args.attrs as unknown as { perm: number[] };
    const backend = args.backend as unknown as WasmBackend;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || tf.util.sizeFromShape(x.shape) < 1024) return native(args);
    const plan = permuteRowsPlan(x.shape, perm);
    const kernel = plan ? permuteRows(backend) : null;
    if (!plan || !kernel) return native(args);
    const out = backend.makeOutput(
      perm.map((axis) => x.shape[axis]),
      x.dtype,
    );
    const [[n0, s0], [n1, s1], [n2, s2]] = plan.levels;
    kernel(offsetOf(backend, x), offsetOf(backend, out), n0, n1, n2, s0, s1, s2, plan.d);
    return out;
  });
}
