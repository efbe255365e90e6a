/**
 * 1-D weights of PyTorch's `F.interpolate(mode='bicubic', antialias=True, align_corners=False)`
 * (`_upsample_bicubic2d_aa`), the resize timm uses for DINOv2's position grid and patch kernel.
 *
 * It is a PIL-style separable filter, not the plain bicubic: the cubic has a = −0.5 (plain bicubic
 * uses −0.75 with clamped borders), its support widens by the downscale factor, taps that fall
 * outside the input are dropped rather than replicated, and each row is normalised to sum 1.
 * This holds when upsampling too (14 → 16): see the `dinov2-resample` fixture's
 * `antialiased_bicubic_definition`.
 */

import { keysCubic } from '@pixelrepa/tensor';

/** The a = −0.5 cubic convolution kernel (Keys): `keysCubic` of `@pixelrepa/tensor`, shared with the center crop. */
export const cubicKernel = keysCubic;

/**
 * The dense resize matrix W with `out = W · in` along one axis, in float64.
 * W: [outSize, inSize] row-major.
 */
export function antialiasedBicubicWeights(inSize: number, outSize: number): Float64Array {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new Error(`resize sizes must be positive integers, got ${inSize} → ${outSize}`);
  }
  const scale = inSize / outSize;
  const stretch = Math.max(scale, 1);
  const support = 2 * stretch;
  const weights = new Float64Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    // Math.trunc, like the C++ int64 cast (the value may be negative before the clamp).
    const first = Math.max(Math.trunc(center - support + 0.5), 0);
    const end = Math.min(Math.trunc(center + support + 0.5), inSize);
    let total = 0;
    for (let j = first; j < end; j++) {
      const w = cubicKernel((j - center + 0.5) / stretch);
      weights[i * inSize + j] = w;
      total += w;
    }
    if (total !== 0) for (let j = first; j < end; j++) weights[i * inSize + j] /= total;
  }
  return weights;
}
