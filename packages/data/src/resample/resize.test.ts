import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image.js';
import { fixedPointTaps, precisionBits } from './coefficients.js';
import { bicubicFilter, boxFilter } from './filters.js';
import { resizeLikePil } from './resize.js';

const ramp = (width: number, height: number): RgbImage => ({
  width,
  height,
  data: Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7) % 256),
});

describe('resizeLikePil', () => {
  it('returns a copy when the size does not change (PIL does not filter then)', () => {
    const image = ramp(5, 4);
    const same = resizeLikePil(image, 5, 4, 'bicubic');
    expect(same.data).toEqual(image.data);
    expect(same.data).not.toBe(image.data);
  });

  it('resamples only the axis that changes', () => {
    const image = ramp(8, 6);
    const narrower = resizeLikePil(image, 4, 6, 'box');
    expect([narrower.width, narrower.height]).toEqual([4, 6]);
    // A 2:1 box on one row averages neighbours with round-half-up.
    expect(narrower.data[0]).toBe(Math.floor((image.data[0] + image.data[3]) / 2 + 0.5));
    const shorter = resizeLikePil(image, 8, 3, 'box');
    expect(shorter.data[0]).toBe(Math.floor((image.data[0] + image.data[8 * 3]) / 2 + 0.5));
  });

  it('clips bicubic overshoot to [0, 255]', () => {
    const edge: RgbImage = { width: 6, height: 1, data: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255]) };
    const up = resizeLikePil(edge, 24, 1, 'bicubic');
    expect(Math.min(...up.data)).toBe(0);
    expect(Math.max(...up.data)).toBe(255);
  });

  it('rejects unknown filters and bad sizes with the expected values', () => {
    expect(() => resizeLikePil(ramp(2, 2), 0, 2, 'box')).toThrow(/positive integer output size, found 0×2/);
    expect(() => resizeLikePil(ramp(2, 2), 1, 1, 'lanczos' as never)).toThrow(/unknown resample "lanczos"/);
  });
});

describe('fixedPointTaps', () => {
  it('gives weights that sum to 2^22 (up to rounding) with antialiased support when shrinking', () => {
    const taps = fixedPointTaps(100, 30, bicubicFilter);
    expect(taps.taps).toBe(Math.ceil(2 * (100 / 30)) * 2 + 1);
    for (let o = 0; o < 30; o++) {
      let sum = 0;
      for (let i = 0; i < taps.counts[o]; i++) sum += taps.weights[o * taps.taps + i];
      expect(Math.abs(sum - (1 << precisionBits))).toBeLessThanOrEqual(taps.counts[o]);
    }
  });

  it('halves with two equal box taps', () => {
    const taps = fixedPointTaps(8, 4, boxFilter);
    expect(Array.from(taps.starts)).toEqual([0, 2, 4, 6]);
    expect(Array.from(taps.counts)).toEqual([2, 2, 2, 2]);
    expect(taps.weights[0]).toBe(1 << (precisionBits - 1));
  });
});
