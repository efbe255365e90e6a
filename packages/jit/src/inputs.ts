import { backendCapabilities, type Tensor } from '@pixelrepa/tensor';

/** Checks a batch of NHWC images before any compute; returns the batch size. */
export function checkImages(z: Tensor, size: number, channels: number, patchSize: number): number {
  if (z.rank !== 4) {
    throw new Error(`expected images as [B, H, W, C] (NHWC), got a rank-${z.rank} tensor [${z.shape.join(', ')}]`);
  }
  const [B, H, W, C] = z.shape;
  if (C !== channels) {
    const hint = z.shape[1] === channels ? ' — this looks like NCHW; transpose to NHWC first (tf.transpose(x, [0, 2, 3, 1]))' : '';
    throw new Error(`this model takes ${channels}-channel NHWC images, got ${C} channels in [${z.shape.join(', ')}]${hint}`);
  }
  if (H % patchSize !== 0 || W % patchSize !== 0) {
    throw new Error(`image size ${H}×${W} is not divisible by the patch size ${patchSize}`);
  }
  if (H !== size || W !== size) throw new Error(`this model takes ${size}×${size} images, got ${H}×${W}`);
  if (z.dtype !== 'float32') throw new Error(`images must be float32 in [−1, 1], got ${z.dtype}`);
  return B;
}

export function checkTimes(t: Tensor, batch: number): void {
  if (t.rank !== 1 || t.shape[0] !== batch) throw new Error(`expected t as [${batch}] (one time per image), got [${t.shape.join(', ')}]`);
}

/** Labels must be int32 in [0, numClasses] (numClasses is the null class). */
export function checkLabels(y: Tensor, batch: number, numClasses: number): void {
  if (y.rank !== 1 || y.shape[0] !== batch) throw new Error(`expected labels as [${batch}], got [${y.shape.join(', ')}]`);
  if (y.dtype !== 'int32') throw new Error(`labels must be int32, got ${y.dtype}`);
  // The range check reads the labels; only where that is a cheap CPU read.
  if (!backendCapabilities().cheapHostReads) return;
  const values = y.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= numClasses)) {
      throw new Error(`label ${values[i]} at index ${i} is outside [0, ${numClasses}] (${numClasses} = the null class)`);
    }
  }
}
