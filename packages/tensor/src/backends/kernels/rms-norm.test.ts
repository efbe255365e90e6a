import { describe, expect, it } from 'vitest';
import { instantiateRmsNorm } from './rms-norm-kernel.js';

// rms-norm.wat on a memory of its own against float64 RMSNorm forward and backward. float32
// rounding of d-term sums: each value within a few d · 2⁻²³ of its float64 value relative to
// the magnitude of the terms it sums.

function reference(x: Float64Array, w: Float64Array, dy: Float64Array, rows: number, d: number, eps: number) {
  const y = new Float64Array(rows * d);
  const r = new Float64Array(rows);
  const dx = new Float64Array(rows * d);
  const dw = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    let squares = 0;
    for (let j = 0; j < d; j++) squares += x[i * d + j] ** 2;
    r[i] = 1 / Math.sqrt(squares / d + eps);
    let gx = 0;
    for (let j = 0; j < d; j++) gx += w[j] * dy[i * d + j] * x[i * d + j];
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      y[k] = w[j] * x[k] * r[i];
      // d/dx of w·x·r(x): r·w·dy − x·r³·Σ(w·dy·x)/d
      dx[k] = r[i] * w[j] * dy[k] - (x[k] * r[i] ** 3 * gx) / d;
      dw[j] += dy[k] * x[k] * r[i];
    }
  }
  return { y, r, dx, dw };
}

describe('rms-norm.wat', () => {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  const kernel = instantiateRmsNorm(memory);

  for (const [rows, d] of [
    [1, 4],
    [7, 64],
    [2304, 192],
    [3, 768],
  ]) {
    it(`rows ${rows}, d ${d}: forward and backward match float64`, () => {
      const eps = 1e-6;
      let seed = 11;
      const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
      const heap = new Float32Array(memory.buffer);
      const n = rows * d;
      // x, w, y, r, dy, dx, dw one after another from byte 64 on
      const offsets = { x: 64, w: 0, y: 0, r: 0, dy: 0, dx: 0, dw: 0 };
      offsets.w = offsets.x + 4 * n;
      offsets.y = offsets.w + 4 * d;
      offsets.r = offsets.y + 4 * n;
      offsets.dy = offsets.r + 4 * rows;
      offsets.dx = offsets.dy + 4 * n;
      offsets.dw = offsets.dx + 4 * n;
      const view = (at: number, length: number) => heap.subarray(at / 4, at / 4 + length);
      const x = Float32Array.from({ length: n }, () => random() * 3);
      const w = Float32Array.from({ length: d }, () => 1 + random() / 2);
      const dy = Float32Array.from({ length: n }, () => random());
      view(offsets.x, n).set(x);
      view(offsets.w, d).set(w);
      view(offsets.dy, n).set(dy);
      for (const [at, length] of [
        [offsets.y, n],
        [offsets.r, rows],
        [offsets.dx, n],
        [offsets.dw, d],
      ])
        view(at, length).fill(Number.NaN);
      kernel.forward(offsets.x, offsets.w, offsets.y, offsets.r, rows, d, eps);
      kernel.backward(offsets.x, offsets.w, offsets.r, offsets.dy, offsets.dx, offsets.dw, rows, d);
      const exact = reference(Float64Array.from(x), Float64Array.from(w), Float64Array.from(dy), rows, d, eps);
      const within = (name: string, got: Float32Array, want: Float64Array, scale: (i: number) => number) => {
        for (let i = 0; i < want.length; i++) {
          const bound = 4 * Math.max(d, name === 'dw' ? rows : 1) * 2 ** -23 * scale(i);
          if (!(Math.abs(got[i] - want[i]) <= bound)) throw new Error(`${name}[${i}] = ${got[i]}, float64 ${want[i]} (bound ${bound})`);
        }
      };
      const rowOf = (i: number) => Math.floor(i / d);
      within('r', view(offsets.r, rows), exact.r, (i) => exact.r[i]);
      within('y', view(offsets.y, n), exact.y, (i) => Math.abs(w[i % d] * x[i]) * exact.r[rowOf(i)]);
      // dx: two terms of up to |w·dy·r| and r³·Σ|w·dy·x|·|x|/d
      within('dx', view(offsets.dx, n), exact.dx, (i) => {
        const row = rowOf(i);
        let magnitude = 0;
        for (let j = 0; j < d; j++) magnitude += Math.abs(w[j] * dy[row * d + j] * x[row * d + j]);
        return Math.abs(w[i % d] * dy[i]) * exact.r[row] + (Math.abs(x[i]) * exact.r[row] ** 3 * magnitude) / d;
      });
      within('dw', view(offsets.dw, d), exact.dw, (j) => {
        let magnitude = 0;
        for (let i = 0; i < rows; i++) magnitude += Math.abs(dy[i * d + j] * x[i * d + j]) * exact.r[i];
        return magnitude;
      });
      expect(view(offsets.dw, d).every(Number.isFinite)).toBe(true);
    });
  }
});
