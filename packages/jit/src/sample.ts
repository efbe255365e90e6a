import { tf, type Tensor } from '@pixelrepa/tensor';
import type { RandomSource } from '@pixelrepa/nn';
import type { JiT } from './jit.js';
import { velocityFromPrediction } from './flow.js';

export type SamplingMethod = 'heun' | 'euler';

export interface SampleOptions {
  /** [B] int32 class labels. */
  labels: Tensor;
  /** ODE steps (default 50). */
  steps?: number;
  /** Heun for all but the last step (always Euler), or Euler throughout. Default heun. */
  method?: SamplingMethod;
  /** Guidance scale (1 = no guidance). Default 1. */
  cfg?: number;
  /** Guidance applies where `low < t < high` (strict; `low = 0` means no lower bound). Default [0.1, 1]. */
  interval?: [number, number];
  noiseScale?: number;
  tEps?: number;
  /** The initial noise draw, standard normal [B, H, W, C] (scaled by noiseScale); else drawn from `random`. */
  noise?: Tensor;
  random?: RandomSource;
  /** Called after each step with the step index and count (for progress). */
  onStep?: (step: number, steps: number) => void;
  /** Receives named intermediates (`z_step_0`, `fs_3.x_cond`, …); `tf.keep` what you store. */
  record?: (name: string, value: Tensor) => void;
}

/**
 * The time grid `linspace(0, 1, steps + 1)` as torch computes it in float32 (from both ends
 * towards the middle), so every step's t matches the reference bit for bit.
 */
export function timeGrid(steps: number): Float32Array {
  const f32 = Math.fround;
  const delta = f32(1 / steps);
  const halfway = Math.floor((steps + 1) / 2);
  return Float32Array.from({ length: steps + 1 }, (_, i) => (i < halfway ? f32(delta * i) : f32(1 - f32(delta * (steps - i)))));
}

/** Per-sample guidance weight: `cfg` where low < t < high (strict), else 1. t: [B] → [B] */
export function guidanceScale(t: Tensor, cfg: number, [low, high]: [number, number]): Tensor {
  return tf.tidy(() => {
    let inside = tf.less(t, high);
    if (low !== 0) inside = tf.logicalAnd(inside, tf.greater(t, low));
    return tf.where(inside, tf.fill(t.shape, cfg), tf.onesLike(t));
  });
}

/**
 * Generates images by integrating the flow ODE from noise (t = 0) to data (t = 1). Each velocity
 * evaluates the conditional and the null-class branch as ONE batched forward of 2B images.
 * Returns float images [B, H, W, C] in about [−1, 1] (see `toUint8Images`).
 */
export function sample(model: JiT, options: SampleOptions): Tensor {
  const { labels, steps = 50, method = 'heun', cfg = 1, interval = [0.1, 1], tEps = 0.05, record, onStep } = options;
  const noiseScale = options.noiseScale ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
  if (method !== 'heun' && method !== 'euler') throw new Error(`unknown sampling method "${method}" (heun or euler)`);
  const batch = labels.shape[0];
  const { inputSize, inChannels, numClasses } = model.config;
  const shape = [batch, inputSize, inputSize, inChannels];
  if (!options.noise && !options.random) throw new Error('sample needs either `noise` or a `random` source');
  if (options.noise && options.noise.shape.join() !== shape.join()) {
    throw new Error(`noise must be [${shape.join(', ')}], got [${options.noise.shape.join(', ')}]`);
  }
  const grid = timeGrid(steps);
  if (record) {
    const gridTensor = tf.tensor1d(grid);
    record('t_grid', gridTensor);
    gridTensor.dispose();
  }
  let calls = 0;
  // Guided velocity at (z, t) for every sample; t is a scalar broadcast to [B].
  const velocity = (z: Tensor, time: number): Tensor =>
    tf.tidy(() => {
      const t = tf.fill([batch], time);
      const both = model.forward(tf.concat([z, z], 0), tf.concat([t, t], 0), tf.concat([labels, tf.fill([batch], numClasses, 'int32')], 0));
      const [xCond, xUncond] = tf.split(both, 2, 0);
      const vCond = velocityFromPrediction(xCond, z, t, tEps);
      const vUncond = velocityFromPrediction(xUncond, z, t, tEps);
      const scale = guidanceScale(t, cfg, interval);
      const v = tf.add(vUncond, tf.mul(tf.reshape(scale, [-1, 1, 1, 1]), tf.sub(vCond, vUncond)));
      if (record) {
        const prefix = `fs_${calls}`;
        record(`${prefix}.t`, t);
        record(`${prefix}.x_cond`, xCond);
        record(`${prefix}.x_uncond`, xUncond);
        record(`${prefix}.cfg_scale`, scale);
        record(`${prefix}.v`, v);
      }
      calls++;
      return v;
    });

  let z = tf.tidy(() => tf.mul(options.noise ?? options.random!.normal(shape), noiseScale));
  for (let i = 0; i < steps; i++) {
    const t = grid[i];
    const tNext = grid[i + 1];
    const dt = Math.fround(tNext - t);
    const heun = method === 'heun' && i < steps - 1;
    const next = tf.tidy(() => {
      const v1 = velocity(z, t);
      let v = v1;
      if (heun) {
        const zEuler = tf.add(z, tf.mul(v1, dt));
        v = tf.mul(tf.add(v1, velocity(zEuler, tNext)), 0.5);
      }
      record?.(`v_step_${i}`, v);
      const zNext = tf.add(z, tf.mul(v, dt));
      record?.(`z_step_${i}`, zNext);
      return zNext;
    });
    z.dispose();
    z = next;
    onStep?.(i + 1, steps);
  }
  return z;
}

/** Float images in [−1, 1] → uint8 `round(clip((x + 1) / 2 · 255))`. [B, H, W, C] → [B, H, W, C] int32 in 0..255 */
export function toUint8Images(images: Tensor): Tensor {
  return tf.tidy(() => tf.cast(tf.round(tf.clipByValue(tf.mul(tf.div(tf.add(images, 1), 2), 255), 0, 255)), 'int32'));
}
