import { tf, type Tensor1D, type Tensor4D } from '@pixelrepa/tensor';
import type { Uint8Batch } from './loader/batch.js';

/**
 * byte v → the float32 value PyTorch computes for `(v / 255) * 2 − 1` (ToTensor, then the JiT
 * mapping to [−1, 1]), rounded in float32 at each step so values match the reference bit for bit.
 */
const byteToSigned = Float32Array.from({ length: 256 }, (_, v) => Math.fround(Math.fround(v / 255) * 2 - 1));

/** The batch's images as an int32 tensor holding 0…255 (TF.js has no uint8 dtype). → [B, H, W, 3] */
export function batchToUint8Tensor(batch: Uint8Batch): Tensor4D {
  return tf.tensor4d(Int32Array.from(batch.images), batch.shape, 'int32');
}

/** The batch's images as float32 in [−1, 1], the JiT input range. → [B, H, W, 3] */
export function batchToFloatTensor(batch: Uint8Batch): Tensor4D {
  const values = new Float32Array(batch.images.length);
  for (let i = 0; i < values.length; i++) values[i] = byteToSigned[batch.images[i]];
  return tf.tensor4d(values, batch.shape, 'float32');
}

/** The batch's class labels. → [B] int32 */
export function batchLabelsTensor(batch: Uint8Batch): Tensor1D {
  return tf.tensor1d(batch.labels, 'int32');
}
