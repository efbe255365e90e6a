import { Matrix, pseudoInverse } from 'ml-matrix';
import { antialiasedBicubicWeights } from './antialiased-bicubic.js';
import type { FloatArray } from './pos-embed.js';

/**
 * The 1-D factor of timm's pseudo-inverse ("PI-resize", FlexiViT) patch-kernel resize, in float64.
 *
 * timm resizes each one-hot old kernel with antialiased bicubic, stacks the results into
 * A: [new², old²] (A = W ⊗ W for the 1-D resize W: [new, old]) and maps kernels with pinv(Aᵀ),
 * so that ⟨resize(x), new kernel⟩ ≈ ⟨x, old kernel⟩. Because pinv(W ⊗ W)ᵀ = pinv(Wᵀ) ⊗ pinv(Wᵀ),
 * the same map is the separable `P · K · Pᵀ` with P = pinv(Wᵀ): [new, old].
 */
export function piResizeFactor(oldSize: number, newSize: number): Float64Array {
  const weights = antialiasedBicubicWeights(oldSize, newSize);
  const transposed = new Matrix(oldSize, newSize);
  for (let i = 0; i < newSize; i++) for (let j = 0; j < oldSize; j++) transposed.set(j, i, weights[i * oldSize + j]);
  // numpy's pinv cut-off: singular values below 1e-15 · the largest count as zero (ml-matrix
  // scales its threshold by the larger dimension, so divide it out).
  const factor = pseudoInverse(transposed, 1e-15 / Math.max(oldSize, newSize));
  return Float64Array.from(factor.to1DArray());
}

/**
 * The full matrix M: [nh·nw, oh·ow] with `newKernel.flat = M · oldKernel.flat` (row-major HW),
 * as timm builds it (for checks and docs; the resample itself uses the separable form).
 */
export function piResizeMatrix([oh, ow]: readonly [number, number], [nh, nw]: readonly [number, number]): Float64Array {
  const rows = piResizeFactor(oh, nh);
  const columns = piResizeFactor(ow, nw);
  const out = new Float64Array(nh * nw * oh * ow);
  for (let a = 0; a < nh; a++) {
    for (let b = 0; b < nw; b++) {
      const row = (a * nw + b) * oh * ow;
      for (let c = 0; c < oh; c++) {
        for (let d = 0; d < ow; d++) out[row + c * ow + d] = rows[a * oh + c] * columns[b * ow + d];
      }
    }
  }
  return out;
}

/**
 * timm's `resample_patch_embed`: every [kh, kw] slice of a conv kernel PI-resized to `newSize`
 * (float64 inside, float32 out); the bias is unchanged.
 * weight: [O, C, kh, kw] → [O, C, nh, nw]
 */
export function resamplePatchEmbed(weight: FloatArray, newSize: readonly [number, number]): { data: Float32Array; shape: number[] } {
  if (weight.shape.length !== 4) throw new Error(`patch kernel must be [O, C, kh, kw], got [${weight.shape.join(', ')}]`);
  const [O, C, oh, ow] = weight.shape;
  const [nh, nw] = newSize;
  if (oh === nh && ow === nw) return { data: Float32Array.from(weight.data), shape: [...weight.shape] };
  const rows = piResizeFactor(oh, nh);
  const columns = piResizeFactor(ow, nw);
  const out = new Float32Array(O * C * nh * nw);
  const half = new Float64Array(nh * ow);
  for (let slice = 0; slice < O * C; slice++) {
    const source = slice * oh * ow;
    // P_rows · K: [nh, oh] · [oh, ow] → [nh, ow]
    half.fill(0);
    for (let a = 0; a < nh; a++) {
      for (let c = 0; c < oh; c++) {
        const p = rows[a * oh + c];
        for (let d = 0; d < ow; d++) half[a * ow + d] += p * weight.data[source + c * ow + d];
      }
    }
    // (P_rows · K) · P_colsᵀ: [nh, ow] · [ow, nw] → [nh, nw]
    const target = slice * nh * nw;
    for (let a = 0; a < nh; a++) {
      for (let b = 0; b < nw; b++) {
        let sum = 0;
        for (let d = 0; d < ow; d++) sum += half[a * ow + d] * columns[b * ow + d];
        out[target + a * nw + b] = sum;
      }
    }
  }
  return { data: out, shape: [O, C, nh, nw] };
}
