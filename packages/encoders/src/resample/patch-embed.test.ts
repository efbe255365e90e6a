import { expect, it } from 'vitest';
import { allclose, loadCase, toleranceFor, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { antialiasedBicubicWeights } from './antialiased-bicubic.js';
import { piResizeMatrix, resamplePatchEmbed } from './patch-embed.js';

describeWithFixtures('PI-resize of the patch kernel (timm resample_patch_embed)', ['dinov2-resample'], () => {
  const resampleCase = loadCase('dinov2-resample');
  it("builds timm's [256, 196] matrix for 14 → 16", () => {
    const expected = resampleCase.expected().get('pi_resize_matrix')!;
    const report = allclose(piResizeMatrix([14, 14], [16, 16]), expected.data as Float32Array, toleranceFor(resampleCase.json, 'pi_resize_matrix'));
    expect(report.ok, report.message).toBe(true);
  });

  it('resamples the checkpoint kernel as timm does (separable form = full matrix)', () => {
    const kernel = resampleCase.weights().get('patch_embed.proj.weight')!;
    const expected = resampleCase.expected().get('patch_embed_proj_weight_resampled')!;
    const out = resamplePatchEmbed({ data: kernel.data as Float32Array, shape: kernel.shape }, [16, 16]);
    expect(out.shape).toEqual(expected.shape);
    const report = allclose(out.data, expected.data as Float32Array, toleranceFor(resampleCase.json, 'patch_embed_proj_weight_resampled'));
    expect(report.ok, report.message).toBe(true);
  });

  it('keeps inner products: ⟨resize(x), new kernel⟩ = ⟨x, old kernel⟩ when upsampling', () => {
    const [o, n] = [4, 6];
    const kernel = Float32Array.from({ length: o * o }, (_, i) => Math.sin(i * 1.7));
    const x = Float64Array.from({ length: o * o }, (_, i) => Math.cos(i * 0.9));
    const resized = resamplePatchEmbed({ data: kernel, shape: [1, 1, o, o] }, [n, n]).data;
    const w = antialiasedBicubicWeights(o, n);
    let before = 0;
    let after = 0;
    for (let i = 0; i < o * o; i++) before += x[i] * kernel[i];
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let pixel = 0;
        for (let c = 0; c < o; c++) for (let d = 0; d < o; d++) pixel += w[a * o + c] * w[b * o + d] * x[c * o + d];
        after += pixel * resized[a * n + b];
      }
    }
    expect(after).toBeCloseTo(before, 5);
  });

  it('returns the kernel unchanged at the same size', () => {
    const data = Float32Array.from({ length: 2 * 3 * 14 * 14 }, (_, i) => i);
    expect(Array.from(resamplePatchEmbed({ data, shape: [2, 3, 14, 14] }, [14, 14]).data)).toEqual(Array.from(data));
  });
});
