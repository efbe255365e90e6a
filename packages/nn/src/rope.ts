import { rope, tf, type Tensor } from '@pixelrepa/tensor';

// Adjacent-pair rotation (x₀, x₁, …) → (−x₁, x₀, …), now in the tensor package beside `rope`.
export { rotateHalf } from '@pixelrepa/tensor';

const f32 = Math.fround;

export interface RopeTables {
  /** [prefix + grid², headDim] */
  cos: Float32Array;
  sin: Float32Array;
  rows: number;
  headDim: number;
}

/**
 * 2-D rotary tables of the reference's `VisionRotaryEmbeddingFast(dim = headDim / 2, grid,
 * num_cls_token = prefix)`, replaying its float32 arithmetic step by step.
 *
 * Row (r, c) of the table is `[r·f₀, r·f₀, r·f₁, r·f₁, … | c·f₀, c·f₀, …]`: the first half of each
 * head's channels rotates with the row index, the second half with the column; frequencies are
 * repeated for the adjacent pairs that `rotateHalf` rotates together. `prefix` rows with
 * cos = 1, sin = 0 come first, so in-context tokens are not rotated.
 */
export function ropeTables2d(headDim: number, gridSize: number, prefix = 0): RopeTables {
  const dim = headDim / 2;
  if (!Number.isInteger(dim) || dim % 2 !== 0) throw new Error(`2-D RoPE needs a head dimension divisible by 4, got ${headDim}`);
  // freqs = 1 / 10000^(arange(0, dim, 2) / dim), all in float32 as torch computes it.
  const freqs = Array.from({ length: dim / 2 }, (_, k) => f32(1 / f32(10000 ** f32((2 * k) / dim))));
  // t = arange(grid) / grid * grid, in float32 (not always exactly the integer).
  const positions = Array.from({ length: gridSize }, (_, i) => f32(f32(i / gridSize) * gridSize));
  const rows = prefix + gridSize * gridSize;
  const cos = new Float32Array(rows * headDim).fill(1, 0, prefix * headDim);
  const sin = new Float32Array(rows * headDim);
  for (let r = 0; r < gridSize; r++) {
    for (let c = 0; c < gridSize; c++) {
      const base = (prefix + r * gridSize + c) * headDim;
      for (let k = 0; k < dim / 2; k++) {
        const angleRow = f32(positions[r] * freqs[k]);
        const angleCol = f32(positions[c] * freqs[k]);
        for (const j of [2 * k, 2 * k + 1]) {
          cos[base + j] = Math.cos(angleRow);
          sin[base + j] = Math.sin(angleRow);
          cos[base + dim + j] = Math.cos(angleCol);
          sin[base + dim + j] = Math.sin(angleCol);
        }
      }
    }
  }
  return { cos, sin, rows, headDim };
}

/**
 * `x·cos + rotateHalf(x)·sin`: the tensor package's `rope` (on wasm one fused kernel each way,
 * bit-identical to the composite ops). x: [B, H, N, Dh], cos/sin: [N, Dh] → [B, H, N, Dh]
 */
export function applyRope(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  return rope(x, cos, sin);
}

/** Tables as tensors, kept alive until `dispose()`. */
export class Rope2d {
  readonly cos: Tensor;
  readonly sin: Tensor;
  constructor(
    readonly headDim: number,
    readonly gridSize: number,
    readonly prefix = 0,
  ) {
    const tables = ropeTables2d(headDim, gridSize, prefix);
    this.cos = tf.tensor2d(tables.cos, [tables.rows, headDim]);
    this.sin = tf.tensor2d(tables.sin, [tables.rows, headDim]);
  }

  /** x: [B, H, N, Dh] → [B, H, N, Dh] */
  apply(x: Tensor): Tensor {
    return applyRope(x, this.cos, this.sin);
  }

  dispose(): void {
    tf.dispose([this.cos, this.sin]);
  }
}
