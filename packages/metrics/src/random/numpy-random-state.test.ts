import { expect, it } from 'vitest';
import { loadCase, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { Mt19937 } from './mt19937.js';
import { NumpyRandomState } from './numpy-random-state.js';

describeWithFixtures('numpy RandomState', ['fid-stats-and-frechet'], () => {
  const fixture = loadCase('fid-stats-and-frechet');

  it('MT19937 gives the reference first outputs for seed 5489', () => {
    const bits = new Mt19937(5489);
    expect([bits.nextUint32(), bits.nextUint32(), bits.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
  });

  it('permutation(997) with seed 2020 equals numpy (the IS shuffle)', () => {
    const expected = fixture.expected().get('isc_perm_uneven')!.data as Int32Array;
    expect(new NumpyRandomState(2020).permutation(expected.length)).toEqual(expected);
  });

  it('interleaved choice(n, 1000, replace=False) draws equal numpy (the KID subsets)', () => {
    const idx1 = fixture.expected().get('kid_subset_idx1')!.data as Int32Array;
    const idx2 = fixture.expected().get('kid_subset_idx2')!.data as Int32Array;
    const random = new NumpyRandomState(2020);
    for (let s = 0; s < 100; s++) {
      expect(random.choiceWithoutReplacement(1500, 1000)).toEqual(idx1.subarray(s * 1000, (s + 1) * 1000));
      expect(random.choiceWithoutReplacement(1200, 1000)).toEqual(idx2.subarray(s * 1000, (s + 1) * 1000));
    }
  });

  it('refuses seeds numpy refuses and impossible choices', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/\[0, 2\^32 − 1\]/);
    expect(() => new NumpyRandomState(2020).choiceWithoutReplacement(3, 4)).toThrow(/4 distinct items out of 3/);
  });
});
