import { describe, expect, it } from 'vitest';
import { createRandomStream, RandomStream } from './stream.js';

function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}

describe('RandomStream', () => {
  it('gives the same numbers for the same seed and different ones for another seed', () => {
    expect(createRandomStream(7).normal(64)).toEqual(createRandomStream(7).normal(64));
    expect(createRandomStream(7).uint32(8)).not.toEqual(createRandomStream(8).uint32(8));
    expect(createRandomStream(2n ** 40n + 3n).uint32(4)).toEqual(createRandomStream(2 ** 40 + 3).uint32(4));
  });

  it('resumes exactly from a saved state that went through JSON', () => {
    const stream = createRandomStream(123);
    stream.normal(1001);
    const saved = JSON.parse(JSON.stringify(stream.getState()));
    const expected = [stream.normal(10), stream.uniform(5), stream.permutation(9), stream.randint(4, { high: 100 })];
    const resumed = new RandomStream(saved);
    expect([resumed.normal(10), resumed.uniform(5), resumed.permutation(9), resumed.randint(4, { high: 100 })]).toEqual(expected);
    expect(resumed.getState()).toEqual(stream.getState());
  });

  it('counts blocks, not numbers, in its state', () => {
    const stream = createRandomStream(1);
    stream.uint32(5); // 2 blocks
    stream.normal(3); // 2 pairs → 2 blocks
    expect(stream.getState().counter).toEqual([4, 0]);
  });

  it('carries the block counter into the high word', () => {
    const stream = new RandomStream({ algorithm: 'philox4x32-10', key: [1, 2], counter: [0xffffffff, 0] });
    stream.uint32(4);
    expect(stream.getState().counter).toEqual([0, 1]);
  });

  it('rejects a state that is not one', () => {
    expect(() => new RandomStream({ algorithm: 'mt19937', key: [1, 2], counter: [0, 0] } as never)).toThrow(/not a random state/);
    expect(() => new RandomStream({ algorithm: 'philox4x32-10', key: [1, -2], counter: [0, 0] })).toThrow(/not a random state/);
    expect(() => createRandomStream(0.5)).toThrow(/safe integer/);
  });

  it('forks independent streams and moves on, so successive forks differ', () => {
    const parent = createRandomStream(5);
    const [a, b] = parent.split(2);
    const c = parent.fork();
    const draws = [a, b, c].map((s) => Array.from(s.uint32(4)));
    expect(new Set(draws.map(String)).size).toBe(3);
    const again = createRandomStream(5).split(2);
    expect(Array.from(again[0].uint32(4))).toEqual(draws[0]);
  });

  it('draws normals with the asked mean and std (1e5 samples)', () => {
    const { mean, std } = meanAndStd(createRandomStream(11).normal(100_000, { mean: 2, std: 3 }));
    expect(Math.abs(mean - 2)).toBeLessThan(0.05); // 5σ of the sample mean: 5·3/√1e5 ≈ 0.047
    expect(Math.abs(std - 3)).toBeLessThan(0.04);
  });

  it('draws uniforms inside [low, high) with the right moments (1e5 samples)', () => {
    const values = createRandomStream(12).uniform(100_000, { low: -1, high: 3 });
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...values)).toBeLessThan(3);
    const { mean, std } = meanAndStd(values);
    expect(Math.abs(mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(std - 4 / Math.sqrt(12))).toBeLessThan(0.01);
    expect(Math.max(...createRandomStream(0).uniform(1000))).toBeLessThan(1);
  });

  it('never returns high from uniform even when rounding to float32 would', () => {
    const values = createRandomStream(3).uniform(10_000, { low: 0, high: 1 + 2 ** -30 });
    expect(values.every((v) => v < 1 + 2 ** -30)).toBe(true);
  });

  it('keeps truncated normals inside their bounds', () => {
    const values = createRandomStream(4).truncatedNormal(20_000, { std: 0.02 });
    expect(values.every((v) => v >= -0.04 && v <= 0.04)).toBe(true);
    expect(Math.abs(meanAndStd(values).std - 0.02 * 0.8796)).toBeLessThan(0.001); // std of N(0,1) cut at ±2
  });

  it('draws bernoulli masks with the asked rate (1e5 samples)', () => {
    const bits = createRandomStream(13).bernoulli(100_000, 0.2);
    expect(Math.abs(meanAndStd(bits).mean - 0.2)).toBeLessThan(0.007);
    expect(
      createRandomStream(1)
        .bernoulli(100, 0)
        .every((b) => b === 0),
    ).toBe(true);
    expect(
      createRandomStream(1)
        .bernoulli(100, 1)
        .every((b) => b === 1),
    ).toBe(true);
  });

  it('draws integers in [low, high) covering every value', () => {
    const values = createRandomStream(14).randint(100_000, { low: -3, high: 7 });
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6]);
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(600);
    expect(() => createRandomStream(0).randint(1, { low: 2, high: 2 })).toThrow(/low < high/);
  });

  it('permutes 0 … n−1', () => {
    const perm = createRandomStream(15).permutation(1000);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(perm.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(createRandomStream(0).permutation(0)).toEqual(new Int32Array(0));
  });
});
