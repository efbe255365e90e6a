import { Mt19937 } from './mt19937.js';

/**
 * The few draws of numpy's legacy `np.random.RandomState(seed)` that torch-fidelity uses,
 * reproduced bit for bit: `permutation(n)` (the IS shuffle) and `choice(n, size, replace=False)`
 * (the KID subsets).
 *
 * @example
 * new NumpyRandomState(2020).permutation(5000); // == np.random.RandomState(2020).permutation(5000)
 */
export class NumpyRandomState {
  private readonly bits: Mt19937;

  constructor(seed: number) {
    this.bits = new Mt19937(seed);
  }

  /**
   * A uniform integer in [0, max] the way numpy's `random_interval` draws it: mask a 32-bit draw
   * to the smallest all-ones bit mask ≥ max and reject values above max.
   */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new Error(`interval bound ${max} needs 64-bit draws, which are not implemented (more than 2^32 samples)`);
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const value = (this.bits.nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** In-place Fisher–Yates from the end, as numpy's legacy `shuffle` does for a 1-D array. */
  shuffle(values: Int32Array): Int32Array {
    for (let i = values.length - 1; i >= 1; i--) {
      const j = this.interval(i);
      const swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }

  /** `permutation(n)`: a shuffled `arange(n)`. */
  permutation(n: number): Int32Array {
    const values = new Int32Array(n);
    for (let i = 0; i < n; i++) values[i] = i;
    return this.shuffle(values);
  }

  /** `choice(n, size, replace=False)`: the first `size` entries of `permutation(n)`. */
  choiceWithoutReplacement(n: number, size: number): Int32Array {
    if (size > n) throw new Error(`cannot choose ${size} distinct items out of ${n}`);
    return this.permutation(n).subarray(0, size);
  }
}
