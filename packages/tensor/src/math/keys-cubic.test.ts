import { describe, expect, it } from 'vitest';
import { keysCubic } from './keys-cubic.js';

describe('keysCubic', () => {
  it('interpolates (1 at 0, 0 at the other integers), is even, and its integer shifts sum to 1', () => {
    expect([0, 1, 2, 3].map((x) => keysCubic(x) + 0)).toEqual([1, 0, 0, 0]); // + 0: the kernel gives −0 at 1
    for (const x of [0.1, 0.5, 1.3, 1.9]) expect(keysCubic(-x)).toBe(keysCubic(x));
    for (const f of [0, 0.25, 0.5, 0.75]) {
      const sum = [-2, -1, 0, 1, 2].reduce((s, k) => s + keysCubic(f + k), 0);
      expect(sum).toBeCloseTo(1, 15);
    }
  });

  it('has a = −0.5: its value at ½ is (a + 2)/8 − (a + 3)/4 + 1 = 0.5625 and at 1½ is −0.0625', () => {
    expect(keysCubic(0.5)).toBe(0.5625);
    expect(keysCubic(1.5)).toBe(-0.0625);
  });
});
