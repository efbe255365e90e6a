import { expect, it } from 'vitest';
import { allclose, loadCase, toleranceFor, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { antialiasedBicubicWeights, cubicKernel } from './antialiased-bicubic.js';

describeWithFixtures('antialiased bicubic weights (PyTorch antialias=True)', ['dinov2-resample'], () => {
  const resampleCase = loadCase('dinov2-resample');
  it('uses the a = −0.5 cubic, not the −0.75 of plain bicubic', () => {
    expect(cubicKernel(0)).toBe(1);
    expect(cubicKernel(1)).toBeCloseTo(0, 15);
    expect(cubicKernel(1.5)).toBeCloseTo(-0.0625, 15);
    expect(cubicKernel(0.5)).toBeCloseTo(0.5625, 15);
    expect(cubicKernel(2)).toBeCloseTo(0, 15);
  });

  it.each([
    [14, 16],
    [37, 4],
    [37, 16],
    [5, 5],
    [16, 14],
  ])('rows of %i → %i sum to 1', (from, to) => {
    const w = antialiasedBicubicWeights(from, to);
    for (let i = 0; i < to; i++) {
      const sum = w.slice(i * from, (i + 1) * from).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 12);
    }
  });

  it('is the identity at the same size', () => {
    const w = antialiasedBicubicWeights(6, 6);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(w[i * 6 + j]).toBeCloseTo(i === j ? 1 : 0, 15);
  });

  it.each(['interp_patch_1d', 'interp_pos_1d', 'interp_pos16_1d'])("matches the fixture's %s", (name) => {
    const expected = resampleCase.expected().get(name)!;
    const [to, from] = expected.shape;
    const report = allclose(antialiasedBicubicWeights(from, to), expected.data as Float32Array, toleranceFor(resampleCase.json, name));
    expect(report.ok, report.message).toBe(true);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => antialiasedBicubicWeights(0, 4)).toThrow(/positive integers, got 0 → 4/);
  });
});
