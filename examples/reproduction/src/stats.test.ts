import { describe, expect, it } from 'vitest';
import { formatSummary, pairedDifference, summarize } from './stats.js';

describe('summaries over seeds', () => {
  it('gives the mean and the sample standard deviation', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ n: 4, mean: 2.5, sd: Math.sqrt(5 / 3) });
    expect(summarize([7])).toMatchObject({ n: 1, mean: 7 });
    expect(summarize([7]).sd).toBeNaN();
    expect(formatSummary(summarize([1, 2, 3]), 2)).toBe('2.00 ± 1.00');
    expect(formatSummary(summarize([]), 2)).toBe('—');
  });

  it('pairs differences by seed and counts only those beyond the spread', () => {
    const none = new Map([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
    const better = new Map([
      [0, 7],
      [1, 8],
      [2, 9],
      [3, 1],
    ]);
    const close = new Map([
      [0, 9.5],
      [1, 11.5],
      [2, 11],
    ]);
    const d = pairedDifference(none, better);
    expect(d).toMatchObject({ seeds: [0, 1, 2], n: 3, mean: -3, sd: 0, counts: true });
    // Mixed signs, and a mean smaller than either variant's sd.
    expect(pairedDifference(none, close).counts).toBe(false);
    // Same sign and beyond each variant's sd, but the paired differences scatter more than their mean.
    const scattered = new Map([
      [0, 13.1],
      [1, 11.05],
      [2, 12.05],
    ]);
    const s = pairedDifference(none, scattered);
    expect(s.mean).toBeGreaterThan(Math.max(summarize([10, 11, 12]).sd, summarize([13.1, 11.05, 12.05]).sd));
    expect(s.sd).toBeGreaterThan(s.mean);
    expect(s.counts).toBe(false);
    // One seed is never enough.
    expect(pairedDifference(new Map([[0, 1]]), new Map([[0, 5]])).counts).toBe(false);
  });
});
