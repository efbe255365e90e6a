import { tf, type Tensor } from '@pixelrepa/tensor';

/** DDPM's linear β schedule: ᾱ_t = Π (1 − β_s), β from 1e-4 to 0.02 over `steps`. */
export function alphaBars(steps = 1000): Float32Array {
  const out = new Float32Array(steps);
  let product = 1;
  for (let t = 0; t < steps; t++) {
    product *= 1 - (1e-4 + ((0.02 - 1e-4) * t) / (steps - 1));
    out[t] = product;
  }
  return out;
}

/** x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε. x0, eps: [B, H, W, C], t: [B] int32 → [B, H, W, C] */
export function noiseImages(x0: Tensor, eps: Tensor, t: Tensor, schedule: Tensor): Tensor {
  return tf.tidy(() => {
    const a = tf.reshape(tf.gather(schedule, t), [-1, 1, 1, 1]);
    return tf.add(tf.mul(tf.sqrt(a), x0), tf.mul(tf.sqrt(tf.sub(1, a)), eps));
  });
}
