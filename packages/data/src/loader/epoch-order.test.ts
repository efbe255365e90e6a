import { describe, expect, it } from 'vitest';
import { epochOrder, flipsInEpoch } from './epoch-order.js';

const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe('epochOrder', () => {
  it('is a permutation that depends only on (seed, epoch)', () => {
    const a = epochOrder({ size: 100, seed: 3, epoch: 5 });
    expect(Array.from(epochOrder({ size: 100, seed: 3, epoch: 5 }))).toEqual(Array.from(a));
    expect(sorted(a)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(epochOrder({ size: 100, seed: 3, epoch: 6 }))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder({ size: 100, seed: 4, epoch: 5 }))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder({ size: 5, shuffle: false }))).toEqual([0, 1, 2, 3, 4]);
  });

  it('splits an epoch over ranks into disjoint shards that cover it', () => {
    for (const worldSize of [1, 2, 3, 7]) {
      const shards = Array.from({ length: worldSize }, (_, rank) => epochOrder({ size: 101, seed: 1, epoch: 2, rank, worldSize }));
      expect(sorted(shards.flatMap((s) => Array.from(s)))).toEqual(Array.from({ length: 101 }, (_, i) => i));
      const lengths = shards.map((s) => s.length);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    }
  });

  it('pads (DistributedSampler) or drops to give every rank the same count', () => {
    const padded = [0, 1, 2].map((rank) => epochOrder({ size: 10, rank, worldSize: 3, balance: 'pad' }));
    expect(padded.map((s) => s.length)).toEqual([4, 4, 4]);
    expect(new Set(padded.flatMap((s) => Array.from(s))).size).toBe(10);
    const dropped = [0, 1, 2].map((rank) => epochOrder({ size: 10, rank, worldSize: 3, balance: 'drop' }));
    expect(dropped.map((s) => s.length)).toEqual([3, 3, 3]);
  });

  it('rejects a rank outside the world', () => {
    expect(() => epochOrder({ size: 4, rank: 2, worldSize: 2 })).toThrow(/rank must be an integer in \[0, 2\), found 2/);
  });
});

describe('flipsInEpoch', () => {
  it('is a fair, deterministic coin per (seed, epoch, index)', () => {
    const flips = Array.from({ length: 2000 }, (_, i) => flipsInEpoch(0, 1, i));
    expect(flips.filter(Boolean).length).toBeGreaterThan(900);
    expect(flips.filter(Boolean).length).toBeLessThan(1100);
    expect(Array.from({ length: 2000 }, (_, i) => flipsInEpoch(0, 1, i))).toEqual(flips);
    expect(Array.from({ length: 2000 }, (_, i) => flipsInEpoch(0, 2, i))).not.toEqual(flips);
  });
});
