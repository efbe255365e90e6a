import type { DType } from '../dtypes.js';

/**
 * A storage named by a persistent id: `<top>/data/<key>` in the zip, `byteLength` bytes of
 * `dtype` elements. Its bytes are read only when a tensor that uses it is materialised.
 */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly byteLength: number,
    /** Device it was saved from ("cpu", "cuda:0"); the bytes are the same either way. */
    readonly location: string,
  ) {}
}

/**
 * A tensor as the pickle describes it: a strided view into a (possibly shared) storage.
 * Offsets and strides count elements of `dtype`.
 */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly dtype: DType,
    readonly storageOffset: number,
    readonly shape: number[],
    readonly strides: number[],
  ) {}
}
