import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { dropLabels, flowStep, velocityLoss } from './flow.js';
import { guidanceScale, sample, timeGrid, toUint8Images } from './sample.js';
import { JiT } from './jit.js';
import { jitConfig } from './config.js';

const config = { pMean: -0.8, pStd: 0.8, tEps: 0.05, noiseScale: 1, labelDropProb: 0.1, numClasses: 10 };

describeEachBackend('flow matching', () => {
  it('noises with t = 1 clean and t = 0 noise, and clamps the velocity denominator at t_eps', async () => {
    const x = tf.fill([2, 2, 2, 3], 0.5);
    const e = tf.fill([2, 2, 2, 3], -1);
    // sigmoid(n·0.8 − 0.8) = 1/(1+e^-n') ; pick n so t ≈ 0.99 and t = 0.5.
    const tNormal = tf.tensor1d([(Math.log(99) + 0.8) / 0.8, 1]);
    const step = flowStep(x, tf.tensor1d([3, 4], 'int32'), { dropU: tf.tensor1d([0.05, 0.5]), tNormal, e }, config);
    expect(Array.from(await step.labels.data())).toEqual([10, 4]);
    const t = await step.t.data();
    expect(t[0]).toBeCloseTo(0.99, 5);
    expect(t[1]).toBeCloseTo(0.5, 6);
    const z = await step.z.data();
    expect(z[0]).toBeCloseTo(0.99 * 0.5 - 0.01, 5);
    const v = await step.v.data();
    expect(v[0]).toBeCloseTo((0.5 - z[0]) / 0.05, 3); // 1 − t = 0.01 < t_eps
    expect(v[12]).toBeCloseTo((0.5 - z[12]) / 0.5, 5);
    const { loss } = velocityLoss(x, step, 0.05);
    expect((await loss.data())[0]).toBeCloseTo(0, 6); // predicting x exactly gives v̂ = v
  });

  it('drops labels where u < p to the null class', async () => {
    expect(Array.from(await dropLabels(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([0.09, 0.1, 0.5]), 0.1, 7).data())).toEqual([7, 2, 3]);
  });

  it('applies guidance only strictly inside the interval', async () => {
    const t = tf.tensor1d([0.05, 0.1, 0.5, 1.0]);
    expect(Array.from(await guidanceScale(t, 3, [0.1, 1]).data())).toEqual([1, 1, 3, 1]);
    expect(Array.from(await guidanceScale(t, 3, [0, 1]).data())).toEqual([3, 3, 3, 1]);
  });

  it("uses torch's float32 linspace grid", () => {
    const grid = timeGrid(50);
    expect(grid[0]).toBe(0);
    expect(grid[50]).toBe(1);
    expect(grid.length).toBe(51);
  });

  it('samples deterministically with progress, leaving only the result', async () => {
    const model = new JiT(jitConfig('JiT-Tiny/4', { depth: 2, hiddenSize: 32, numHeads: 2, bottleneckDim: 8, inContextLen: 2, inContextStart: 1 }));
    for (const [, p] of model.trainableParameters()) p.assign(tf.randomNormal(p.shape, 0, 0.05, 'float32', 11));
    const labels = tf.tensor1d([0, 5], 'int32');
    const noise = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 12);
    const progress: number[] = [];
    const before = liveTensors();
    const a = sample(model, { labels, noise, steps: 3, cfg: 2, onStep: (i) => progress.push(i) });
    expect(liveTensors()).toBe(before + 1);
    const b = sample(model, { labels, noise, steps: 3, cfg: 2 });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(progress).toEqual([1, 2, 3]);
    const pixels = toUint8Images(a);
    const values = await pixels.data();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(255);
    expect(() => sample(model, { labels, steps: 0, noise })).toThrow(/positive integer/);
    expect(() => sample(model, { labels })).toThrow(/noise.*random/);
    model.dispose();
  });
});
