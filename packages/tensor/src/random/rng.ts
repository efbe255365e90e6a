import * as tf from '@tensorflow/tfjs-core';
import type { RandomState, Seed } from './state.js';
import { RandomStream, createRandomStream } from './stream.js';

/**
 * Seeded random tensors that are bitwise identical on every backend: the numbers are made in JS
 * by `RandomStream` (Philox4x32-10, Box–Muller in float64) and uploaded, never drawn by a kernel.
 *
 * ```ts
 * const rng = createRng(42);
 * const noise = rng.normal([8, 256, 256, 3]);             // float32, N(0, 1)
 * const t = rng.uniform([8], { low: 0, high: 1 });
 * const checkpoint = rng.getState();                       // JSON; rng.setState(checkpoint) resumes exactly
 * const [dataRng, noiseRng] = rng.split(2);               // independent streams
 * ```
 */
export class Rng {
  constructor(readonly stream: RandomStream) {}

  /** Normal samples, `mean + std·z`: float32 tensor of `shape`. */
  normal(shape: number[], options: { mean?: number; std?: number } = {}): tf.Tensor {
    return tf.tensor(this.stream.normal(sizeOf(shape), options), shape, 'float32');
  }

  /** Normal samples redrawn until inside [low, high] (default mean ± 2·std): float32 tensor of `shape`. */
  truncatedNormal(shape: number[], options: { mean?: number; std?: number; low?: number; high?: number } = {}): tf.Tensor {
    return tf.tensor(this.stream.truncatedNormal(sizeOf(shape), options), shape, 'float32');
  }

  /** Uniform samples in [low, high) (default [0, 1)): float32 tensor of `shape`. */
  uniform(shape: number[], options: { low?: number; high?: number } = {}): tf.Tensor {
    return tf.tensor(this.stream.uniform(sizeOf(shape), options), shape, 'float32');
  }

  /** 1 with probability `p`, else 0: a tensor of `shape` (float32 unless `dtype` says int32 or bool). */
  bernoulli(shape: number[], p: number, { dtype = 'float32' }: { dtype?: 'float32' | 'int32' | 'bool' } = {}): tf.Tensor {
    const bits = this.stream.bernoulli(sizeOf(shape), p);
    if (dtype === 'bool') return tf.tensor(bits, shape, 'bool');
    return tf.tensor(dtype === 'int32' ? Int32Array.from(bits) : Float32Array.from(bits), shape, dtype);
  }

  /** Integers in [low, high) (low defaults to 0): int32 tensor of `shape`. */
  randint(shape: number[], options: { low?: number; high: number }): tf.Tensor {
    return tf.tensor(this.stream.randint(sizeOf(shape), options), shape, 'int32');
  }

  /** A random permutation of 0 … n−1: int32 tensor [n]. */
  permutation(n: number): tf.Tensor1D {
    return tf.tensor1d(this.stream.permutation(n), 'int32');
  }

  /** An independent generator; this one moves on, so successive forks differ. */
  fork(): Rng {
    return new Rng(this.stream.fork());
  }

  /** `count` independent generators. */
  split(count: number): Rng[] {
    return this.stream.split(count).map((stream) => new Rng(stream));
  }

  /** The state to save with a checkpoint (plain JSON). */
  getState(): RandomState {
    return this.stream.getState();
  }

  /** Continues exactly where the generator that produced `state` was. */
  setState(state: RandomState): void {
    this.stream.setState(state);
  }

  /** A copy that continues from the same state independently. */
  clone(): Rng {
    return new Rng(this.stream.clone());
  }
}

/** A generator seeded with `seed` (any safe integer or bigint). */
export function createRng(seed: Seed): Rng {
  return new Rng(createRandomStream(seed));
}

/** A generator that continues from a saved state. */
export function rngFromState(state: RandomState): Rng {
  return new Rng(new RandomStream(state));
}

function sizeOf(shape: number[]): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`expected a shape of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape.reduce((a, b) => a * b, 1);
}
