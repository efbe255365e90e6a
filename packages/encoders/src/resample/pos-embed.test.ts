import { expect, it } from 'vitest';
import { allclose, loadCase, toleranceFor, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { resampleAbsPosEmbed } from './pos-embed.js';

describeWithFixtures('position grid resample (timm resample_abs_pos_embed, antialiased bicubic)', ['dinov2-resample'], () => {
  const resampleCase = loadCase('dinov2-resample');
  const pos = resampleCase.weights().get('pos_embed')!;
  const original = { data: pos.data as Float32Array, shape: pos.shape };
  it.each([
    ['pos_embed_resampled', 4],
    ['pos_embed_resampled_grid16', 16],
  ] as const)('matches %s (37×37 → %i×%i)', (name, side) => {
    const out = resampleAbsPosEmbed(original, { newSize: [side, side], numPrefixTokens: 1 });
    expect(out.shape).toEqual([1, 1 + side * side, 64]);
    const report = allclose(out.data, resampleCase.expected().get(name)!.data as Float32Array, toleranceFor(resampleCase.json, name));
    expect(report.ok, report.message).toBe(true);
  });

  it('keeps the cls row exactly', () => {
    const out = resampleAbsPosEmbed(original, { newSize: [5, 5], numPrefixTokens: 1 });
    expect(Array.from(out.data.slice(0, 64))).toEqual(Array.from(original.data.slice(0, 64)));
  });

  it('treats every row as grid when there is no prefix (register models)', () => {
    const grid = { data: original.data.slice(64), shape: [1, 37 * 37, 64] };
    const withPrefix = resampleAbsPosEmbed(original, { newSize: [4, 4], numPrefixTokens: 1 });
    const without = resampleAbsPosEmbed(grid, { newSize: [4, 4], numPrefixTokens: 0 });
    expect(Array.from(without.data)).toEqual(Array.from(withPrefix.data.slice(64)));
  });

  it('says when the rows are not a square grid', () => {
    expect(() => resampleAbsPosEmbed({ data: new Float32Array(10 * 2), shape: [1, 10, 2] }, { newSize: [2, 2], numPrefixTokens: 0 })).toThrow(
      /10 rows: after 0 prefix rows that is not a square grid/,
    );
  });
});
