import { tf, type Tensor } from '@pixelrepa/tensor';
import type { RandomSource } from '@pixelrepa/nn';

/**
 * Flow matching as JiT trains it. Convention (opposite of most diffusion code): `t = 1` is the
 * clean image, `t = 0` pure noise; `z = t·x + (1 − t)·e`, e ~ N(0, noiseScale²).
 */
export interface FlowMatchingConfig {
  /** Logit-normal time: t = sigmoid(n), n ~ N(pMean, pStd²). */
  pMean: number;
  pStd: number;
  /** The velocity denominator is max(1 − t, tEps). */
  tEps: number;
  /** Noise std; `imageSize / 256` in the papers. */
  noiseScale: number;
  /** Probability of replacing a label by the null class (for classifier-free guidance). */
  labelDropProb: number;
  numClasses: number;
}

/** The random draws of one training step, raw as the reference draws them (in this order). */
export interface FlowDraws {
  /** [B] uniform: drop the label where `dropU < labelDropProb`. */
  dropU: Tensor;
  /** [B] standard normal: t = sigmoid(tNormal·pStd + pMean). */
  tNormal: Tensor;
  /** [B, H, W, C] standard normal noise (scaled by noiseScale here). */
  e: Tensor;
}

/** Draws a step's randomness from a seeded source. */
export function drawFlow(random: RandomSource, imageShape: number[]): FlowDraws {
  const batch = imageShape[0];
  return {
    dropU: random.uniform([batch]),
    tNormal: random.normal([batch]),
    e: random.normal(imageShape),
  };
}

export interface FlowStep {
  /** [B] int32 labels after dropout. */
  labels: Tensor;
  /** [B] times. */
  t: Tensor;
  /** [B, H, W, C] the noisy input. */
  z: Tensor;
  /** [B, H, W, C] the target velocity (x − z) / max(1 − t, tEps). */
  v: Tensor;
}

/** Label dropout: `dropU < prob` → the null class `numClasses`. labels, dropU: [B] → [B] int32 */
export function dropLabels(labels: Tensor, dropU: Tensor, prob: number, numClasses: number): Tensor {
  return tf.tidy(() => tf.where(tf.less(dropU, prob), tf.fill(labels.shape, numClasses, 'int32'), tf.cast(labels, 'int32')));
}

/** t = sigmoid(n·pStd + pMean). n: [B] → [B] */
export function logitNormalTime(tNormal: Tensor, pMean: number, pStd: number): Tensor {
  return tf.tidy(() => tf.sigmoid(tf.add(tf.mul(tNormal, pStd), pMean)));
}

/** max(1 − t, tEps) as [B, 1, 1, 1]. */
export function velocityDenominator(t: Tensor, tEps: number): Tensor {
  return tf.tidy(() => tf.reshape(tf.maximum(tf.sub(1, t), tEps), [-1, 1, 1, 1]));
}

/** Velocity from an x-prediction: (x̂ − z) / max(1 − t, tEps). xPred, z: [B, H, W, C], t: [B] */
export function velocityFromPrediction(xPred: Tensor, z: Tensor, t: Tensor, tEps: number): Tensor {
  return tf.tidy(() => tf.div(tf.sub(xPred, z), velocityDenominator(t, tEps)));
}

/**
 * Builds a training step's inputs: label dropout, logit-normal t, noising and the target velocity.
 * x: [B, H, W, C] clean images in [−1, 1], labels: [B] int32.
 */
export function flowStep(x: Tensor, labels: Tensor, draws: FlowDraws, config: FlowMatchingConfig): FlowStep {
  return tf.tidy(() => {
    const dropped = dropLabels(labels, draws.dropU, config.labelDropProb, config.numClasses);
    const t = logitNormalTime(draws.tNormal, config.pMean, config.pStd);
    const tImage = tf.reshape(t, [-1, 1, 1, 1]);
    const noise = tf.mul(draws.e, config.noiseScale);
    const z = tf.add(tf.mul(tImage, x), tf.mul(tf.sub(1, tImage), noise));
    const v = tf.div(tf.sub(x, z), velocityDenominator(t, config.tEps));
    return { labels: dropped, t, z, v };
  });
}

/**
 * The v-loss: mean over pixels, then over the batch, of (v − v̂)², with v̂ from the x-prediction.
 * Returns the scalar loss and v̂.
 */
export function velocityLoss(xPred: Tensor, step: FlowStep, tEps: number): { loss: Tensor; vPred: Tensor } {
  return tf.tidy(() => {
    const vPred = velocityFromPrediction(xPred, step.z, step.t, tEps);
    const perSample = tf.mean(tf.square(tf.sub(step.v, vPred)), [1, 2, 3]);
    return { loss: tf.mean(perSample), vPred };
  });
}
