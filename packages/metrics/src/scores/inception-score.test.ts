import { expect, it } from 'vitest';
import { allclose, loadCase, toleranceFor, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { inceptionScore } from './inception-score.js';

describeWithFixtures('Inception Score', ['fid-stats-and-frechet'], () => {
  const fixture = loadCase('fid-stats-and-frechet');
  const logits = fixture.inputs().get('isc_logits_uneven')!;
  const expected = (name: string) => fixture.expected().get(name)!.data as Float64Array;

  it("matches torch-fidelity's isc_features_to_metric (10 splits, seed-2020 shuffle, N = 997) to 1e-9", () => {
    const score = inceptionScore(logits.data as Float32Array, 1008);
    for (const [name, values] of [
      ['isc_split_scores_uneven', score.splitScores],
      ['isc_mean_uneven', [score.mean]],
      ['isc_std_uneven', [score.std]],
    ] as const) {
      const report = allclose(values, expected(name), toleranceFor(fixture.json, name));
      expect(report.ok, `${name}: ${report.message}`).toBe(true);
    }
  });

  it('matches it without shuffling', () => {
    const score = inceptionScore(logits.data as Float32Array, 1008, { shuffle: false });
    expect(Math.abs(score.mean - expected('isc_mean_noshuffle_uneven')[0])).toBeLessThan(1e-9);
    expect(Math.abs(score.std - expected('isc_std_noshuffle_uneven')[0])).toBeLessThan(1e-9);
  });

  it('is 1 for identical predictions and the class count for confident, evenly spread ones', () => {
    expect(inceptionScore(new Float32Array(20 * 4), 4, { splits: 2 }).mean).toBeCloseTo(1, 12);
    const confident = Float32Array.from({ length: 8 * 4 }, (_, i) => (i % 4 === Math.floor(i / 4) % 4 ? 100 : 0));
    expect(inceptionScore(confident, 4, { splits: 2, shuffle: false }).mean).toBeCloseTo(4, 9);
  });

  it('explains inputs it cannot score', () => {
    expect(() => inceptionScore(new Float32Array(7), 4)).toThrow(/not a multiple of 4 classes/);
    expect(() => inceptionScore(new Float32Array(4), 4)).toThrow(/at least 2 images, got 1/);
    expect(() => inceptionScore(new Float32Array(5 * 4), 4)).toThrow(/cannot split 5 images into 10 parts/);
  });
});
