import { allocateTypedArray, elementCount, type DType, type TypedArray } from './dtypes.js';

/**
 * Copies a strided view out of `source` into a new C-order (row-major) array.
 * Element (i0, i1, …) of the result is `source[offset + Σ ik · strides[k]]`; this is how
 * PyTorch views (transposes, slices of a shared storage) and Fortran-order .npy arrays are
 * turned into contiguous tensors. Callers check that every index lies inside `source`.
 */
export function gatherStrided(dtype: DType, source: TypedArray, offset: number, shape: readonly number[], strides: readonly number[]): TypedArray {
  const count = elementCount(shape);
  const out = allocateTypedArray(dtype, count);
  if (count === 0) return out;
  if (isContiguous(shape, strides)) {
    // Same constructor on both sides, so set() copies values (bigints included) without conversion.
    (out as Uint8Array).set((source as Uint8Array).subarray(offset, offset + count));
    return out;
  }
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  const target = out as unknown as { [i: number]: number | bigint };
  const from = source as unknown as { [i: number]: number | bigint };
  let position = offset;
  for (let i = 0; i < count; i++) {
    target[i] = from[position];
    // Odometer increment over the dimensions, last dimension fastest.
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      position += strides[k];
      if (index[k] < shape[k]) break;
      position -= strides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

/** Whether `strides` describe the C-order layout of `shape` (sizes of 1 may have any stride). */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    if (shape[k] !== 1 && strides[k] !== expected) return false;
    expected *= shape[k];
  }
  return true;
}

/**
 * One past the largest element index the view touches (0 for an empty view), so callers can
 * check it against the storage length before reading.
 */
export function stridedExtent(offset: number, shape: readonly number[], strides: readonly number[]): number {
  if (shape.some((size) => size === 0)) return 0;
  let last = offset;
  for (let k = 0; k < shape.length; k++) last += (shape[k] - 1) * strides[k];
  return last + 1;
}
