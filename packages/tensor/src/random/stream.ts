import { philox4x32 } from './philox.js';
import { checkState, keyFromSeed, type RandomState, type Seed } from './state.js';

const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_MINUS_32 = 2 ** -32;
const TWO_POW_26 = 2 ** 26;
const TWO_POW_MINUS_53 = 2 ** -53;

/**
 * A seeded stream of random numbers in plain JS (typed arrays, no tensors), so the numbers are the
 * same whichever TF.js backend consumes them. Every call takes whole Philox blocks (4 words) and
 * drops what it does not use, so the state is just (key, block counter).
 *
 * ```ts
 * const stream = createRandomStream(0);
 * const noise = stream.normal(1024);          // Float32Array
 * const saved = stream.getState();            // JSON-safe
 * ```
 */
export class RandomStream {
  private readonly key = new Uint32Array(2);
  /** [block low, block high, 0, 0]: the 128-bit Philox counter. */
  private readonly counter = new Uint32Array(4);

  constructor(state: RandomState) {
    this.setState(state);
  }

  getState(): RandomState {
    return { algorithm: 'philox4x32-10', key: [this.key[0], this.key[1]], counter: [this.counter[0], this.counter[1]] };
  }

  setState(state: RandomState): void {
    const checked = checkState(state);
    this.key.set(checked.key);
    this.counter.set([checked.counter[0], checked.counter[1], 0, 0]);
  }

  /** `count` uint32 words (⌈count / 4⌉ blocks). */
  uint32(count: number): Uint32Array {
    checkCount(count);
    const blocks = Math.ceil(count / 4);
    const words = new Uint32Array(blocks * 4);
    for (let block = 0; block < blocks; block++) {
      philox4x32(this.counter, this.key, words, block * 4);
      this.counter[0] = (this.counter[0] + 1) >>> 0;
      if (this.counter[0] === 0) this.counter[1] = (this.counter[1] + 1) >>> 0;
    }
    return blocks * 4 === count ? words : words.slice(0, count);
  }

  /** Float64 uniforms in [0, 1) with 53 random bits each (two words per number). */
  uniform64(count: number): Float64Array {
    const words = this.uint32(2 * count);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = ((words[2 * i] >>> 5) * TWO_POW_26 + (words[2 * i + 1] >>> 6)) * TWO_POW_MINUS_53;
    return out;
  }

  /** Float32 uniforms in [low, high): 24 random bits each, scaled in float64, rounded once. */
  uniform(count: number, { low = 0, high = 1 }: { low?: number; high?: number } = {}): Float32Array {
    if (!(high > low)) throw new Error(`uniform needs low < high, got [${low}, ${high})`);
    const words = this.uint32(count);
    const out = new Float32Array(count);
    const span = high - low;
    const below = largestFloat32Below(high);
    for (let i = 0; i < count; i++) {
      const value = Math.fround(low + span * ((words[i] >>> 8) * TWO_POW_MINUS_24));
      out[i] = value < high ? value : below;
    }
    return out;
  }

  /** Float64 standard normals by Box–Muller (one block → two normals). */
  normal64(count: number): Float64Array {
    const uniforms = this.uniform64(2 * Math.ceil(count / 2));
    const out = new Float64Array(count);
    for (let i = 0; i < count; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - uniforms[i])); // 1 − u ∈ (0, 1]: log is finite
      const angle = 2 * Math.PI * uniforms[i + 1];
      out[i] = radius * Math.cos(angle);
      if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
    }
    return out;
  }

  /** Float32 normals `mean + std·z`, computed in float64 and rounded once. */
  normal(count: number, { mean = 0, std = 1 }: { mean?: number; std?: number } = {}): Float32Array {
    return Float32Array.from(this.normal64(count), (z) => mean + std * z);
  }

  /**
   * Normals truncated to [low, high] (default mean ± 2·std) by rejection: values outside are
   * redrawn. Bounds are absolute values, as in PyTorch's `trunc_normal_(mean, std, a, b)`.
   */
  truncatedNormal(
    count: number,
    { mean = 0, std = 1, low = mean - 2 * std, high = mean + 2 * std }: { mean?: number; std?: number; low?: number; high?: number } = {},
  ): Float32Array {
    if (!(high > low)) throw new Error(`truncatedNormal needs low < high, got [${low}, ${high}]`);
    const out = new Float32Array(count);
    let filled = 0;
    while (filled < count) {
      for (const z of this.normal64(Math.max(2, count - filled))) {
        const value = mean + std * z;
        if (value >= low && value <= high && filled < count) out[filled++] = value;
      }
    }
    return out;
  }

  /** 1 with probability `p`, else 0 (32 random bits each). */
  bernoulli(count: number, p: number): Uint8Array {
    if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli needs 0 ≤ p ≤ 1, got ${p}`);
    const words = this.uint32(count);
    return Uint8Array.from(words, (word) => (word * TWO_POW_MINUS_32 < p ? 1 : 0));
  }

  /** Integers in [low, high), uniform to within 2^-53 · (high − low). */
  randint(count: number, { low = 0, high }: { low?: number; high: number }): Int32Array {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low || low < -(2 ** 31) || high > 2 ** 31) {
      throw new Error(`randint needs int32 bounds with low < high, got [${low}, ${high})`);
    }
    const span = high - low;
    return Int32Array.from(this.uniform64(count), (u) => low + Math.floor(u * span));
  }

  /** A uniformly random permutation of 0 … n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    checkCount(n);
    const out = Int32Array.from({ length: n }, (_, i) => i);
    const uniforms = this.uniform64(Math.max(0, n - 1));
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(uniforms[n - 1 - i] * (i + 1));
      const held = out[i];
      out[i] = out[j];
      out[j] = held;
    }
    return out;
  }

  /**
   * A new, independent stream keyed by the next block of this one (as JAX's `split` does); this
   * stream moves on, so successive forks differ.
   */
  fork(): RandomStream {
    const words = this.uint32(4);
    return new RandomStream({ algorithm: 'philox4x32-10', key: [words[0], words[1]], counter: [0, 0] });
  }

  /** `count` independent streams (successive forks). */
  split(count: number): RandomStream[] {
    checkCount(count);
    return Array.from({ length: count }, () => this.fork());
  }

  /** A copy that continues from the same state independently. */
  clone(): RandomStream {
    return new RandomStream(this.getState());
  }
}

/** A stream seeded with `seed` (any safe integer or bigint). */
export function createRandomStream(seed: Seed): RandomStream {
  return new RandomStream({ algorithm: 'philox4x32-10', key: keyFromSeed(seed), counter: [0, 0] });
}

function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`expected a count ≥ 0, got ${count}`);
}

function largestFloat32Below(value: number): number {
  const rounded = Math.fround(value);
  if (rounded < value) return rounded;
  if (rounded === 0) return -(2 ** -149);
  const bits = new Float32Array([rounded]);
  new Int32Array(bits.buffer)[0] += rounded > 0 ? -1 : 1; // one float32 step towards −∞
  return bits[0];
}
