import { tf, type Tensor } from '@pixelrepa/tensor';

/**
 * 3×3 average pool, stride 1, padding 1, padded zeros NOT counted (PyTorch
 * `count_include_pad=False`, which is what TensorFlow's SAME average pool does).
 * x: [B, H, W, C] → [B, H, W, C]
 */
export function averagePool3x3ExcludingPadding(x: Tensor): Tensor {
  return tf.avgPool(x as tf.Tensor4D, 3, 1, 'same');
}

/** 3×3 max pool, stride 2, no padding. x: [B, H, W, C] → [B, ⌊(H−3)/2⌋+1, ⌊(W−3)/2⌋+1, C] */
export function maxPool3x3Stride2(x: Tensor): Tensor {
  return tf.maxPool(x as tf.Tensor4D, 3, 2, 'valid');
}

/** 3×3 max pool, stride 1, padding 1 (Mixed_7c's pool branch). x: [B, H, W, C] → [B, H, W, C] */
export function maxPool3x3Same(x: Tensor): Tensor {
  return tf.maxPool(x as tf.Tensor4D, 3, 1, 'same');
}

/**
 * Global average over the spatial axes. Summed one axis at a time (rows, then columns): a single
 * float32 reduction over 73×73 values drifts by ~3e-6 on wasm, more than feature '64' allows.
 * x: [B, H, W, C] → [B, C]
 */
export function globalAveragePool(x: Tensor): Tensor {
  return tf.tidy(() => {
    const [, height, width] = x.shape;
    return tf.div(tf.sum(tf.sum(x, 2), 1), height * width);
  });
}
