/**
 * Fixed 2-D sin-cos position embedding (MAE / DiT / JiT `get_2d_sincos_pos_embed`), computed in
 * float64 as the reference does with numpy, returned as float32.
 *
 * Row-major over the grid (token = row·grid + col). The first half of the channels encodes the
 * COLUMN index, the second half the row (the reference's meshgrid puts w first); each half is
 * `[sin(pos·ω) | cos(pos·ω)]` with ω_k = 1 / 10000^(k / (D/4)).
 *
 * @returns [grid², D] as a flat Float32Array (and the float64 values when asked).
 */
export function sincosPositionEmbedding2d(embedDim: number, gridSize: number): Float32Array {
  return Float32Array.from(sincosPositionEmbedding2dF64(embedDim, gridSize));
}

/** The same table in float64. */
export function sincosPositionEmbedding2dF64(embedDim: number, gridSize: number): Float64Array {
  if (embedDim % 4 !== 0) throw new Error(`sin-cos position embedding needs a width divisible by 4, got ${embedDim}`);
  const half = embedDim / 2;
  const quarter = embedDim / 4;
  const omega = Array.from({ length: quarter }, (_, k) => 1 / 10000 ** (k / quarter));
  const out = new Float64Array(gridSize * gridSize * embedDim);
  for (let row = 0; row < gridSize; row++) {
    for (let col = 0; col < gridSize; col++) {
      const base = (row * gridSize + col) * embedDim;
      for (let k = 0; k < quarter; k++) {
        out[base + k] = Math.sin(col * omega[k]);
        out[base + quarter + k] = Math.cos(col * omega[k]);
        out[base + half + k] = Math.sin(row * omega[k]);
        out[base + half + quarter + k] = Math.cos(row * omega[k]);
      }
    }
  }
  return out;
}
