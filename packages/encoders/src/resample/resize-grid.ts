import { antialiasedBicubicWeights } from './antialiased-bicubic.js';

/**
 * Antialiased bicubic resize of a channels-last grid, separable (rows, then columns), accumulated
 * in float64 — `F.interpolate(mode='bicubic', antialias=True)` on the NCHW view of the grid.
 * values: [H, W, C] → [h, w, C]
 */
export function resizeGridAntialiased(
  values: ArrayLike<number>,
  [H, W, C]: readonly [number, number, number],
  [h, w]: readonly [number, number],
): Float64Array {
  if (values.length !== H * W * C) throw new Error(`grid has ${values.length} values, expected ${H}·${W}·${C}`);
  const rowWeights = antialiasedBicubicWeights(H, h);
  const columnWeights = antialiasedBicubicWeights(W, w);
  // Rows: [H, W, C] → [h, W, C].
  const rows = new Float64Array(h * W * C);
  const stride = W * C;
  for (let i = 0; i < h; i++) {
    for (let k = 0; k < H; k++) {
      const weight = rowWeights[i * H + k];
      if (weight === 0) continue;
      for (let x = 0; x < stride; x++) rows[i * stride + x] += weight * values[k * stride + x];
    }
  }
  // Columns: [h, W, C] → [h, w, C].
  const out = new Float64Array(h * w * C);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const target = (i * w + j) * C;
      for (let k = 0; k < W; k++) {
        const weight = columnWeights[j * W + k];
        if (weight === 0) continue;
        const source = (i * W + k) * C;
        for (let c = 0; c < C; c++) out[target + c] += weight * rows[source + c];
      }
    }
  }
  return out;
}
