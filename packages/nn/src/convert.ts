import { tf, type Tensor } from '@pixelrepa/tensor';
import { widenHalf, type RawTensor } from '@pixelrepa/io';

/** A tensor as files hold it (`@pixelrepa/io`'s RawTensor). */
export type TorchTensorLike = RawTensor;

/**
 * File tensors → TF.js tensors, keys unchanged: floats become float32 (F16/BF16 widened exactly,
 * F64 rounded), integers int32 (an I64 outside the int32 range is an error), BOOL bool.
 * The caller owns the returned tensors.
 */
export function tensorStateDict(raw: Map<string, RawTensor> | Iterable<[string, RawTensor]>): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, value] of raw) out.set(name, rawToTensor(name, value));
  return out;
}

function rawToTensor(name: string, raw: RawTensor): Tensor {
  const { shape } = raw;
  const widened = widenHalf(raw);
  switch (widened.dtype) {
    case 'F32':
      return tf.tensor(widened.data as Float32Array, shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(widened.data as Float64Array), shape, 'float32');
    case 'BOOL':
      return tf.tensor(widened.data as Uint8Array, shape, 'bool');
    case 'I64': {
      const values = widened.data as BigInt64Array;
      const out = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        if (values[i] > 2147483647n || values[i] < -2147483648n) throw new Error(`${name}: int64 value ${values[i]} does not fit int32`);
        out[i] = Number(values[i]);
      }
      return tf.tensor(out, shape, 'int32');
    }
    default:
      return tf.tensor(Int32Array.from(widened.data as ArrayLike<number>), shape, 'int32');
  }
}

/**
 * TF.js tensors → file tensors (float32 → F32, int32 → I32, bool → BOOL), reading each tensor
 * asynchronously (works on GPU backends). The caller keeps ownership of the tensors.
 */
export async function rawStateDict(tensors: Map<string, Tensor> | Iterable<[string, Tensor]>): Promise<Map<string, RawTensor>> {
  const out = new Map<string, RawTensor>();
  for (const [name, tensor] of tensors) {
    const data = await tensor.data();
    switch (tensor.dtype) {
      case 'float32':
        out.set(name, { dtype: 'F32', shape: [...tensor.shape], data: Float32Array.from(data as Float32Array) });
        break;
      case 'int32':
        out.set(name, { dtype: 'I32', shape: [...tensor.shape], data: Int32Array.from(data as Int32Array) });
        break;
      case 'bool':
        out.set(name, { dtype: 'BOOL', shape: [...tensor.shape], data: Uint8Array.from(data as Uint8Array) });
        break;
      default:
        throw new Error(`${name}: cannot store a ${tensor.dtype} tensor`);
    }
  }
  return out;
}
