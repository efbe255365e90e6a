import { expect, it } from 'vitest';
import { allclose, loadCase, toleranceFor, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { kernelInceptionDistance } from './kernel-inception-distance.js';

describeWithFixtures('Kernel Inception Distance', ['fid-stats-and-frechet'], () => {
  const fixture = loadCase('fid-stats-and-frechet');
  const a = fixture.inputs().get('kid_features1')!.data as Float32Array;
  const b = fixture.inputs().get('kid_features2')!.data as Float32Array;

  it("matches torch-fidelity's kid_features_to_metric (100 subsets of 1000, seed 2020)", () => {
    const kid = kernelInceptionDistance(a, b, 64);
    for (const [name, values] of [
      ['kid_mean', [kid.mean]],
      ['kid_std', [kid.std]],
      ['kid_mmd_per_subset_f64', kid.subsetValues],
    ] as const) {
      const report = allclose(values, fixture.expected().get(name)!.data as Float64Array, toleranceFor(fixture.json, name));
      expect(report.ok, `${name}: ${report.message}`).toBe(true);
    }
  });

  it('gives the same subsets whether dot products are precomputed or taken per subset', () => {
    const few = { subsets: 3, subsetSize: 50 };
    const full = kernelInceptionDistance(a.subarray(0, 200 * 64), b.subarray(0, 300 * 64), 64, few);
    const perSubset = kernelInceptionDistance(a.subarray(0, 200 * 64), b.subarray(0, 300 * 64), 64, { ...few, fullGramLimit: 0 });
    for (let i = 0; i < 3; i++) expect(perSubset.subsetValues[i]).toBeCloseTo(full.subsetValues[i], 12);
  });

  it('uses the smaller set size when it is below 1000, and explains impossible sizes', () => {
    expect(kernelInceptionDistance(a.subarray(0, 40 * 64), b.subarray(0, 30 * 64), 64, { subsets: 2 }).subsetSize).toBe(30);
    expect(() => kernelInceptionDistance(a.subarray(0, 40 * 64), b.subarray(0, 30 * 64), 64, { subsetSize: 35 })).toThrow(
      /subset size 35 must be between 2 and .* \(40, 30\)/,
    );
    expect(() => kernelInceptionDistance(a.subarray(0, 64), b, 64)).toThrow(/at least 2 feature vectors in each set, got 1/);
  });
});
