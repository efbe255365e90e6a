import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@pixelrepa/tensor';
import { JiT, loadJiTWeights } from '@pixelrepa/jit';
import { readPageCheckpoint } from '../src/checkpoint.ts';
import { sampleGrid, type GridSettings } from '../src/grid.ts';
import { stepClock } from '../src/step-clock.ts';
import { randomCheckpoint, testModel } from './support/random-checkpoint.ts';

const settings: GridSettings = { classes: [2, 0], perClass: 2, steps: 3, method: 'heun', cfg: 2, seed: 5 };

describe("sampling a grid with the page's hooks", () => {
  let model: JiT;

  beforeAll(async () => {
    await initBackend('cpu');
    const checkpoint = await readPageCheckpoint(await randomCheckpoint(), async () => testModel);
    model = new JiT(checkpoint.config);
    loadJiTWeights(model, checkpoint.state);
  });

  afterAll(() => model.dispose());

  it.each([false, true])('times every step and leaks no tensor (GPU-style clock: %s)', async (gpu) => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const clock = stepClock({ gpu, onStep: (step) => seen.push(step) });
    const images = await sampleGrid(model, settings, { onStep: clock.onStep, record: clock.record });
    await clock.settled();
    expect(seen).toEqual([1, 2, 3]);
    expect(clock.stepMs).toHaveLength(3);
    expect(images).toMatchObject({ rows: 2, cols: 2, size: 32 });
    expect(images.pixels).toHaveLength(4 * 32 * 32 * 3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same pixels for the same seed, other pixels for another', async () => {
    const first = await sampleGrid(model, settings);
    expect(await sampleGrid(model, settings)).toEqual(first);
    const other = await sampleGrid(model, { ...settings, seed: 6 });
    expect(other.pixels).not.toEqual(first.pixels);
  });
});
