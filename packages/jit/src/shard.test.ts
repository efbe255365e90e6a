import { describe, expect, it } from 'vitest';
import { initBackend, tf } from '@pixelrepa/tensor';
import { imageNoise } from './image-noise.js';
import { parseShard, shardRange } from './shard.js';

describe('shardRange', () => {
  it.each([
    [10, 3],
    [7, 7],
    [3, 5],
    [50_000, 8],
    [0, 2],
  ])('splits %i images into %i disjoint contiguous parts that cover them in order', (total, count) => {
    const ranges = Array.from({ length: count }, (_, index) => shardRange(total, { index, count }));
    expect(ranges[0].start).toBe(0);
    expect(ranges.at(-1)!.end).toBe(total);
    for (let k = 1; k < count; k++) expect(ranges[k].start).toBe(ranges[k - 1].end);
    const sizes = ranges.map(({ start, end }) => end - start);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

describe('parseShard', () => {
  it('reads k/N and refuses what is not a shard', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('5/5')).toThrow(/outside 0…4/);
    expect(() => parseShard('1of3')).toThrow(/k\/N/);
    expect(() => parseShard('0/0')).toThrow(/at least 1/);
  });

  it("auto reads a Kubernetes Indexed Job (index and the manifest's JOB_COMPLETIONS)", () => {
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' })).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '3' })).toThrow(/JOB_COMPLETIONS is not set/);
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '4', JOB_COMPLETIONS: '4' })).toThrow(/JOB_COMPLETION_INDEX=4/);
  });

  it('auto reads a Slurm array, offset by its first task id and step', () => {
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 1, count: 3 });
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 2, count: 3 });
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '14', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({
      index: 2,
      count: 3,
    });
    expect(() => parseShard('auto', { SLURM_ARRAY_TASK_ID: '1' })).toThrow(/SLURM_ARRAY_TASK_COUNT is not set/);
  });

  it('auto without a scheduler says which variables it looks for', () => {
    expect(() => parseShard('auto', {})).toThrow(/JOB_COMPLETION_INDEX.*SLURM_ARRAY_TASK_ID/);
  });
});

describe('imageNoise', () => {
  it("draws each image's noise from (seed, index) alone, whatever the batch", async () => {
    await initBackend('cpu');
    const before = tf.memory().numTensors;
    const all = imageNoise(5, [0, 1, 2, 3], [4, 4, 3]);
    const part = imageNoise(5, [2, 3], [4, 4, 3]);
    const single = imageNoise(5, [1], [4, 4, 3]);
    const otherSeed = imageNoise(6, [1], [4, 4, 3]);
    const rows = await all.data();
    const size = 4 * 4 * 3;
    expect(Array.from(await part.data())).toEqual(Array.from(rows.slice(2 * size)));
    expect(Array.from(await single.data())).toEqual(Array.from(rows.slice(size, 2 * size)));
    expect(Array.from(await otherSeed.data())).not.toEqual(Array.from(rows.slice(size, 2 * size)));
    expect(Array.from(rows.slice(0, size))).not.toEqual(Array.from(rows.slice(size, 2 * size)));
    tf.dispose([all, part, single, otherSeed]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
