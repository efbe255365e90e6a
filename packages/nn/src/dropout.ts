import { tf, type Tensor } from '@pixelrepa/tensor';

/** A seed for dropout masks, or nothing for TF.js's unseeded generator. */
export type DropoutSeed = number | undefined;

let counter = 0;

/** Inverted dropout: zero each value with probability `rate`, scale the rest by 1/(1 − rate). */
export function dropout(x: Tensor, rate: number, seed?: DropoutSeed): Tensor {
  if (rate <= 0) return x;
  if (rate >= 1) throw new Error(`dropout rate must be below 1, got ${rate}`);
  return tf.dropout(x, rate, undefined, seed === undefined ? undefined : seed + counter++);
}
