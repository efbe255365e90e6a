import { tf, type Tensor } from '@pixelrepa/tensor';

/**
 * Where initial weights come from. `@pixelrepa/tensor`'s seeded RNG satisfies it; the default
 * uses TF.js's own generators with a seed.
 */
export interface RandomSource {
  normal(shape: number[], options?: { mean?: number; std?: number }): Tensor;
  uniform(shape: number[], options?: { low?: number; high?: number }): Tensor;
}

let defaultSeed = 0;

/** TF.js generators with incrementing seeds: deterministic for a fresh process. */
export const tfRandomSource: RandomSource = {
  normal: (shape, { mean = 0, std = 1 } = {}) => tf.randomNormal(shape, mean, std, 'float32', ++defaultSeed),
  uniform: (shape, { low = 0, high = 1 } = {}) => tf.randomUniform(shape, low, high, 'float32', ++defaultSeed),
};

/** Initialisers matching `torch.nn.init`; fan-in/fan-out follow PyTorch's rule for [out, in, ...]. */
export const init = {
  zeros: (shape: number[]): Tensor => tf.zeros(shape),
  ones: (shape: number[]): Tensor => tf.ones(shape),
  constant: (shape: number[], value: number): Tensor => tf.fill(shape, value),
  normal: (random: RandomSource, shape: number[], std: number, mean = 0): Tensor => random.normal(shape, { mean, std }),
  /** `xavier_uniform_`: U(−a, a), a = gain·sqrt(6 / (fan_in + fan_out)), for a PyTorch-shaped [out, in, ...] weight. */
  xavierUniform: (random: RandomSource, torchShape: number[], gain = 1): Tensor => {
    const receptive = torchShape.slice(2).reduce((a, b) => a * b, 1);
    const fanIn = (torchShape[1] ?? 1) * receptive;
    const fanOut = torchShape[0] * receptive;
    const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
    return random.uniform(torchShape, { low: -bound, high: bound });
  },
  /** PyTorch's default `nn.Linear` weight init (kaiming_uniform with a = √5): U(±1/√fan_in). */
  linearDefault: (random: RandomSource, torchShape: number[]): Tensor => {
    const bound = 1 / Math.sqrt(torchShape[1]);
    return random.uniform(torchShape, { low: -bound, high: bound });
  },
};
