import { expect, it } from 'vitest';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { precisionRecall } from './precision-recall.js';

function cloud(n: number, d: number, seed: number, shift = 0): Float32Array {
  let state = seed;
  return Float32Array.from({ length: n * d }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return shift + state / 2 ** 32;
  });
}

/** Kynkäänniemi et al. by brute force in float64: share of `queries` inside the k-NN balls of `anchors`. */
function coverage(anchors: Float32Array, queries: Float32Array, d: number, k: number): number {
  const distance = (x: Float32Array, i: number, y: Float32Array, j: number) => {
    let sum = 0;
    for (let t = 0; t < d; t++) sum += (x[i * d + t] - y[j * d + t]) ** 2;
    return sum;
  };
  const n = anchors.length / d;
  const radii = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => distance(anchors, i, anchors, j)).sort((a, b) => a - b)[k]);
  let inside = 0;
  for (let q = 0; q < queries.length / d; q++) if (radii.some((r, j) => distance(queries, q, anchors, j) <= r)) inside++;
  return inside / (queries.length / d);
}

describeEachBackend('improved precision and recall', () => {
  it('matches a brute-force k-NN computation (k = 3), across distance blocks, leaving no tensors', async () => {
    const d = 16;
    const real = cloud(70, d, 1);
    const generated = cloud(50, d, 2, 0.15);
    const before = liveTensors();
    const result = await precisionRecall(real, generated, d, { batchSize: 16 });
    expect(liveTensors()).toBe(before);
    expect(result.precision).toBeCloseTo(coverage(real, generated, d, 3), 12);
    expect(result.recall).toBeCloseTo(coverage(generated, real, d, 3), 12);
    expect(result.fScore).toBeCloseTo((2 * result.precision * result.recall) / (result.precision + result.recall), 12);
  });

  it('is 1/1 for the same set and 0/0 for far-apart sets', async () => {
    const real = cloud(20, 4, 3);
    expect(await precisionRecall(real, real, 4)).toMatchObject({ precision: 1, recall: 1 });
    expect(await precisionRecall(real, cloud(20, 4, 4, 100), 4)).toMatchObject({ precision: 0, recall: 0 });
  });

  it('needs more samples than neighbours', async () => {
    await expect(precisionRecall(cloud(3, 4, 1), cloud(10, 4, 2), 4)).rejects.toThrow(/more than 3 samples in each set, got 3 real/);
  });
});
