import { expect, it } from 'vitest';
import { loadCase, toleranceFor, describeWithFixtures } from '@pixelrepa/tensor/testing';
import type { FeatureStatistics } from '../statistics/feature-statistics.js';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import { frechetDistance } from './frechet-distance.js';

const fixture = loadCase('fid-stats-and-frechet');

function fixtureStatistics(set: '1' | '2'): FeatureStatistics {
  const inputs = fixture.inputs();
  return { dim: 64, mean: inputs.get(`mu${set}_d64`)!.data as Float64Array, covariance: inputs.get(`sigma${set}_d64`)!.data as Float64Array };
}

function randomStatistics(n: number, d: number, seed: number): FeatureStatistics {
  let state = seed;
  const rows = Float32Array.from({ length: n * d }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  });
  return new StatisticsAccumulator(d).add(rows).statistics();
}

describeWithFixtures('Fréchet distance', ['fid-stats-and-frechet'], () => {
  const expected = (fixture.expected().get('fid_d64')!.data as Float64Array)[0];
  const { atol, rtol } = toleranceFor(fixture.json, 'fid_d64');

  it.each(['symmetric', 'eigvals'] as const)("matches torch-fidelity's fid_statistics_to_metric within 1e-9 (%s)", (method) => {
    const fid = frechetDistance(fixtureStatistics('1'), fixtureStatistics('2'), { method });
    expect(Math.abs(fid - expected)).toBeLessThanOrEqual(atol + rtol * Math.abs(expected));
  });

  it('is zero between identical statistics', () => {
    const stats = fixtureStatistics('1');
    expect(Math.abs(frechetDistance(stats, stats))).toBeLessThan(1e-10);
  });

  it('stays finite with singular covariances (fewer samples than dimensions), agreeing with the general eigen-solver', () => {
    const a = randomStatistics(20, 48, 1);
    const b = randomStatistics(25, 48, 2);
    const fid = frechetDistance(a, b);
    expect(Number.isFinite(fid)).toBe(true);
    expect(Math.abs(fid - frechetDistance(a, b, { method: 'eigvals' }))).toBeLessThan(1e-5);
  });

  it('refuses statistics of different widths or that are not covariances', () => {
    const a = randomStatistics(30, 8, 1);
    expect(() => frechetDistance(a, randomStatistics(30, 6, 2))).toThrow(/8-d statistics with 6-d statistics/);
    const asymmetric = { ...a, covariance: a.covariance.slice() };
    asymmetric.covariance[1] += 1;
    expect(() => frechetDistance(a, asymmetric)).toThrow(/second statistics: covariance is not symmetric/);
    const infinite = { ...a, covariance: a.covariance.slice() };
    infinite.covariance[0] = Infinity;
    expect(() => frechetDistance(infinite, a)).toThrow(/first statistics: covariance\[0, 0\] is Infinity/);
  });
});
