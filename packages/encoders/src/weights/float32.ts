import { widenHalf, type RawTensor } from '@pixelrepa/io';

/** A float32 tensor as plain data (row-major). */
export interface Float32Raw extends RawTensor {
  dtype: 'F32';
  data: Float32Array;
}

/** Any float file tensor as float32 (F16/BF16 widened exactly, F64 rounded); other dtypes are an error. */
export function toFloat32(name: string, raw: RawTensor): Float32Raw {
  const widened = widenHalf(raw);
  if (widened.dtype === 'F32') return widened as Float32Raw;
  if (widened.dtype === 'F64') return { dtype: 'F32', shape: [...raw.shape], data: Float32Array.from(widened.data as Float64Array) };
  throw new Error(`${name}: expected a float tensor, found ${raw.dtype}`);
}

export function float32(shape: number[], data: Float32Array): Float32Raw {
  return { dtype: 'F32', shape, data };
}
