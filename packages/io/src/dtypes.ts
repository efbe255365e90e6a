import { copyBytes } from './byte-source.js';

/** Element types of tensors in files, named as safetensors names them. */
export type DType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** The typed array that holds a dtype's values (F16/BF16 keep their raw 16-bit patterns). */
export type TypedArray = Float64Array | Float32Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** A tensor as plain data: row-major (C order), little-endian values. */
export interface RawTensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export const dtypeBytes: Record<DType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export function isDType(name: string): name is DType {
  return Object.prototype.hasOwnProperty.call(dtypeBytes, name);
}

/** Number of elements of a tensor of `shape` (1 for a 0-d tensor). */
export function elementCount(shape: readonly number[]): number {
  // A zero anywhere wins, even after a product that overflowed to Infinity (∞ · 0 is NaN).
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const size of shape) count *= size;
  return count;
}

/** A zero-filled typed array of `count` elements of `dtype`. */
export function allocateTypedArray(dtype: DType, count: number): TypedArray {
  switch (dtype) {
    case 'F64':
      return new Float64Array(count);
    case 'F32':
      return new Float32Array(count);
    case 'F16':
    case 'BF16':
      return new Uint16Array(count);
    case 'I64':
      return new BigInt64Array(count);
    case 'I32':
      return new Int32Array(count);
    case 'I16':
      return new Int16Array(count);
    case 'I8':
      return new Int8Array(count);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(count);
  }
}

/** Whether `data` is the kind of typed array that holds `dtype` (F16/BF16 and U8/BOOL share one). */
export function typedArrayMatches(dtype: DType, data: unknown): boolean {
  switch (dtype) {
    case 'F64':
      return data instanceof Float64Array;
    case 'F32':
      return data instanceof Float32Array;
    case 'F16':
    case 'BF16':
      return data instanceof Uint16Array;
    case 'I64':
      return data instanceof BigInt64Array;
    case 'I32':
      return data instanceof Int32Array;
    case 'I16':
      return data instanceof Int16Array;
    case 'I8':
      return data instanceof Int8Array;
    case 'U8':
    case 'BOOL':
      return data instanceof Uint8Array;
  }
}

/** True for `{dtype, shape, data}` objects as this package produces them. */
export function isRawTensor(value: unknown): value is RawTensor {
  if (value === null || typeof value !== 'object') return false;
  const { dtype, shape, data } = value as Record<string, unknown>;
  return typeof dtype === 'string' && isDType(dtype) && Array.isArray(shape) && ArrayBuffer.isView(data);
}

/** The bytes of a typed array (a view, not a copy), in the platform's (little-endian) order. */
export function bytesOf(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Copies `count` elements' bytes at `offset` into a fresh, aligned typed array of `dtype`. */
export function typedArrayFrom(dtype: DType, bytes: Uint8Array, offset: number, count: number): TypedArray {
  const size = dtypeBytes[dtype];
  // A fresh, aligned buffer: Buffer#slice would return a view into the caller's pooled memory.
  return typedArrayView(dtype, copyBytes(bytes, offset, offset + count * size).buffer, 0, count);
}

/** `count` elements of `dtype` at `byteOffset` of `buffer`, sharing its memory (byteOffset must be element-aligned). */
export function typedArrayView(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, count: number): TypedArray {
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer, byteOffset, count);
    case 'F32':
      return new Float32Array(buffer, byteOffset, count);
    case 'F16':
    case 'BF16':
      return new Uint16Array(buffer, byteOffset, count);
    case 'I64':
      return new BigInt64Array(buffer, byteOffset, count);
    case 'I32':
      return new Int32Array(buffer, byteOffset, count);
    case 'I16':
      return new Int16Array(buffer, byteOffset, count);
    case 'I8':
      return new Int8Array(buffer, byteOffset, count);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buffer, byteOffset, count);
  }
}

/** bfloat16 bit patterns → float32 (exact: bf16 is the top half of a float32). */
export function bf16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = bits[i] << 16;
  return new Float32Array(out.buffer);
}

/** IEEE half bit patterns → float32 (exact). */
export function f16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 31) out[i] = mantissa ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/** Widens F16/BF16 to F32 (exactly); other dtypes are returned unchanged. */
export function widenHalf(tensor: RawTensor): RawTensor {
  if (tensor.dtype === 'BF16') return { dtype: 'F32', shape: tensor.shape, data: bf16ToFloat32(tensor.data as Uint16Array) };
  if (tensor.dtype === 'F16') return { dtype: 'F32', shape: tensor.shape, data: f16ToFloat32(tensor.data as Uint16Array) };
  return tensor;
}
