type Rows = Float64Array | Float32Array;

/**
 * `A · Bᵀ` in float64 for row-major A [m, k] and B [n, k] (every entry a dot product of two
 * contiguous rows). Two rows of A meet two rows of B per pass, so each loaded value is used
 * twice. With `symmetric` (B is A), only entries j ≥ i are computed and then mirrored.
 *
 * a: [m, k], b: [n, k] → [m, n]
 */
export function multiplyTransposed(a: Rows, m: number, b: Rows, n: number, k: number, { symmetric = false } = {}): Float64Array {
  const out = new Float64Array(m * n);
  products(a, m, b, n, k, out, symmetric);
  if (symmetric) for (let i = 0; i < m; i++) for (let j = i + 1; j < n; j++) out[j * n + i] = out[i * n + j];
  return out;
}

/**
 * `out += X · Xᵀ` on the upper triangle (entries j ≥ i) only: the scatter-matrix update of a
 * batch. x: [m, k] row-major, out: [m, m]
 */
export function addGramUpper(out: Float64Array, x: Rows, m: number, k: number): void {
  products(x, m, x, m, k, out, true, true);
}

/** Writes (or adds) the dot products of rows of a and rows of b into out [m, n]; `upperOnly` skips j < i − 1. */
function products(a: Rows, m: number, b: Rows, n: number, k: number, out: Float64Array, upperOnly: boolean, accumulate = false): void {
  const put = accumulate
    ? (index: number, value: number) => {
        out[index] += value;
      }
    : (index: number, value: number) => {
        out[index] = value;
      };
  for (let i = 0; i < m; i += 2) {
    const pair = i + 1 < m;
    const a0 = i * k;
    const a1 = a0 + k;
    for (let j = upperOnly ? i : 0; j < n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      const both = j + 1 < n;
      if (pair && both) {
        let s00 = 0,
          s01 = 0,
          s10 = 0,
          s11 = 0;
        for (let t = 0; t < k; t++) {
          const x0 = a[a0 + t],
            x1 = a[a1 + t],
            y0 = b[b0 + t],
            y1 = b[b1 + t];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        put(i * n + j, s00);
        put(i * n + j + 1, s01);
        // (i + 1, i) lies below the diagonal when upperOnly; it is left alone.
        if (!upperOnly || j >= i + 1) put((i + 1) * n + j, s10);
        put((i + 1) * n + j + 1, s11);
      } else {
        put(i * n + j, dot(a, a0, b, b0, k));
        if (both) put(i * n + j + 1, dot(a, a0, b, b1, k));
        if (pair && (!upperOnly || j >= i + 1)) put((i + 1) * n + j, dot(a, a1, b, b0, k));
      }
    }
  }
}

/** Σ_t a[aStart + t] · b[bStart + t] for t < k, in float64. */
export function dot(a: Rows, aStart: number, b: Rows, bStart: number, k: number): number {
  let sum = 0;
  for (let t = 0; t < k; t++) sum += a[aStart + t] * b[bStart + t];
  return sum;
}
