import { createRandom, hashSeed, permutation } from '../random.js';

export interface EpochOrderOptions {
  /** Number of samples in the dataset. */
  size: number;
  seed?: number;
  epoch?: number;
  /** Default true. false: dataset order (evaluation, cache preparation). */
  shuffle?: boolean;
  /** This process's index among `worldSize` (default 0 of 1). */
  rank?: number;
  worldSize?: number;
  /**
   * How ranks share an epoch whose size is not a multiple of `worldSize`:
   * `none` (default) — disjoint shards that together cover every sample exactly once, sizes
   * differing by at most one; `pad` — every rank gets ⌈n/w⌉, the first samples repeated
   * (PyTorch's DistributedSampler); `drop` — every rank gets ⌊n/w⌋, the tail left out.
   */
  balance?: 'none' | 'pad' | 'drop';
}

/**
 * The dataset indices this rank visits in `epoch`: a permutation that depends only on
 * (seed, epoch), dealt round-robin to the ranks (rank r takes positions r, r + w, r + 2w, …).
 *
 * → [⌈(n − rank) / worldSize⌉] (balance `none`)
 */
export function epochOrder(options: EpochOrderOptions): Int32Array {
  const { size, seed = 0, epoch = 0, shuffle = true, rank = 0, worldSize = 1, balance = 'none' } = options;
  if (!(Number.isInteger(size) && size >= 0)) throw new Error(`epochOrder: expected a non-negative integer size, found ${size}`);
  if (!(Number.isInteger(worldSize) && worldSize >= 1)) throw new Error(`epochOrder: expected worldSize ≥ 1, found ${worldSize}`);
  if (!(Number.isInteger(rank) && rank >= 0 && rank < worldSize)) {
    throw new Error(`epochOrder: rank must be an integer in [0, ${worldSize}), found ${rank}`);
  }
  let order: Int32Array;
  if (shuffle) {
    order = permutation(size, createRandom(hashSeed(seed, epoch)));
  } else {
    order = new Int32Array(size);
    for (let i = 0; i < size; i++) order[i] = i;
  }
  let total = size;
  if (balance === 'pad' && size > 0) total = Math.ceil(size / worldSize) * worldSize;
  if (balance === 'drop') total = Math.floor(size / worldSize) * worldSize;
  const count = Math.max(0, Math.ceil((total - rank) / worldSize));
  const shard = new Int32Array(count);
  for (let i = 0; i < count; i++) shard[i] = order[(rank + i * worldSize) % size];
  return shard;
}

/** Whether the sample at dataset `index` is mirrored in `epoch` (a fair coin per (seed, epoch, index)). */
export function flipsInEpoch(seed: number, epoch: number, index: number): boolean {
  return createRandom(hashSeed(seed, epoch, index, 0x666c6970)).next() < 0.5;
}
