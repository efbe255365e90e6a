import { tf, type Tensor } from '@pixelrepa/tensor';

/** Source rows (or columns) of each output position and the interpolation weight of the upper one. */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float32Array;
}

/**
 * TF 1.x `resize_bilinear(align_corners=False)` sampling positions: NO half-pixel offset,
 * `src = i · (in / out)` with the scale rounded to float32 and the product taken in float32
 * (torch-fidelity's `interpolate_bilinear_2d_like_tensorflow1x`, method 'slow').
 */
function taps(inSize: number, outSize: number): Taps {
  const scale = Math.fround(inSize / outSize);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = Math.fround(i * scale);
    lo[i] = Math.floor(src);
    hi[i] = Math.min(lo[i] + 1, inSize - 1);
    frac[i] = Math.fround(src - lo[i]);
  }
  return { lo, hi, frac };
}

/**
 * Bilinear resize exactly as TensorFlow 1.x (and so the FID Inception graph) does it: first a
 * horizontal lerp of the two source rows, then a vertical lerp, `a + (b − a)·t` in float32.
 * This differs from `tf.image.resizeBilinear` only in how the scale is rounded, which is enough
 * to move FID, so it is spelled out here.
 *
 * @example
 * const resized = resizeBilinearTf1(tf.cast(images, 'float32'), [299, 299]);
 *
 * x: [B, H, W, C] float → [B, outH, outW, C] float32
 */
export function resizeBilinearTf1(x: Tensor, [outHeight, outWidth]: [number, number]): Tensor {
  const [, inHeight, inWidth] = x.shape;
  const rows = taps(inHeight, outHeight);
  const cols = taps(inWidth, outWidth);
  return tf.tidy(() => {
    const input = tf.cast(x, 'float32');
    const top = tf.gather(input, rows.lo, 1);
    const bottom = tf.gather(input, rows.hi, 1);
    const dx = tf.tensor(cols.frac, [1, 1, outWidth, 1]);
    const dy = tf.tensor(rows.frac, [1, outHeight, 1, 1]);
    const lerpColumns = (t: Tensor) => {
      const left = tf.gather(t, cols.lo, 2);
      const right = tf.gather(t, cols.hi, 2);
      return tf.add(left, tf.mul(tf.sub(right, left), dx));
    };
    const upper = lerpColumns(top);
    const lower = lerpColumns(bottom);
    return tf.add(upper, tf.mul(tf.sub(lower, upper), dy));
  });
}
