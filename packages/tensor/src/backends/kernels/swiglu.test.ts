import { describe, expect, it } from 'vitest';
import { instantiateSwiglu } from './swiglu-kernel.js';

// swiglu.wat on a memory of its own against float64 SwiGLU forward and backward. The kernel is
// given s = sigmoid(a) rounded to float32 (as tfjs's Sigmoid hands it over); the reference uses the
// exact sigmoid. Each value within 8 · 2⁻²³ of the magnitude of the terms that make it.

function reference(a: Float64Array, b: Float64Array, dy: Float64Array) {
  const n = a.length;
  const [y, da, db] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    const s = 1 / (1 + Math.exp(-a[i]));
    y[i] = a[i] * s * b[i];
    // d/da of a·σ(a)·b = b·(σ + a·σ·(1 − σ)); d/db = a·σ
    da[i] = dy[i] * b[i] * (s + a[i] * s * (1 - s));
    db[i] = dy[i] * a[i] * s;
  }
  return { y, da, db };
}

describe('swiglu.wat', () => {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  const kernel = instantiateSwiglu(memory);

  for (const n of [1, 4, 7, 64, 170 * 3, 4 * 72 * 512 + 3]) {
    it(`n ${n}: forward and backward match float64`, () => {
      let seed = 7 + n;
      const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
      const heap = new Float32Array(memory.buffer);
      // a, s, b, y, dy, da, db one after another from byte 64 on
      const [a0, s0, b0, y0, dy0, da0, db0] = Array.from({ length: 7 }, (_, k) => 64 + 4 * n * k);
      const view = (at: number) => heap.subarray(at / 4, at / 4 + n);
      // a over [−12, 12] (saturated sigmoid at both ends), a few exact zeros
      const a = Float32Array.from({ length: n }, (_, i) => (i % 29 === 0 ? 0 : random() * 12));
      const b = Float32Array.from({ length: n }, () => random() * 2);
      const dy = Float32Array.from({ length: n }, () => random());
      const s = a.map((v) => 1 / (1 + Math.exp(-v)));
      view(a0).set(a);
      view(s0).set(s);
      view(b0).set(b);
      view(dy0).set(dy);
      for (const at of [y0, da0, db0]) view(at).fill(Number.NaN);
      kernel.forward(a0, s0, b0, y0, n);
      kernel.backward(a0, s0, b0, dy0, da0, db0, n);
      const exact = reference(Float64Array.from(a), Float64Array.from(b), Float64Array.from(dy));
      const within = (name: string, got: Float32Array, want: Float64Array, scale: (i: number) => number) => {
        for (let i = 0; i < n; i++) {
          const bound = 8 * 2 ** -23 * scale(i);
          if (!(Math.abs(got[i] - want[i]) <= bound)) throw new Error(`${name}[${i}] = ${got[i]}, float64 ${want[i]} (bound ${bound})`);
        }
      };
      const sigma = (i: number) => 1 / (1 + Math.exp(-a[i]));
      within('y', view(y0), exact.y, (i) => Math.abs(a[i] * b[i]) * sigma(i));
      // da: g·s and (g·a)·s·(1 − s), g = dy·b; s's rounding moves 1 − s by up to s·2⁻²⁴
      within('da', view(da0), exact.da, (i) => Math.abs(dy[i] * b[i]) * sigma(i) * (1 + Math.abs(a[i])));
      within('db', view(db0), exact.db, (i) => Math.abs(dy[i] * a[i]) * sigma(i));
      expect(view(da0).every(Number.isFinite) && view(db0).every(Number.isFinite)).toBe(true);
    });
  }

  it('writes nothing past n (vector part and tail)', () => {
    const heap = new Float32Array(memory.buffer);
    const n = 11;
    const [a0, s0, b0, y0, dy0, da0, db0] = Array.from({ length: 7 }, (_, k) => 64 + 4 * (n + 4) * k);
    for (const at of [a0, s0, b0, dy0]) heap.subarray(at / 4, at / 4 + n).fill(0.5);
    for (const at of [y0, da0, db0]) heap.subarray(at / 4, at / 4 + n + 4).fill(-7);
    kernel.forward(a0, s0, b0, y0, n);
    kernel.backward(a0, s0, b0, dy0, da0, db0, n);
    for (const at of [y0, da0, db0]) {
      expect(heap[at / 4]).not.toBe(-7);
      expect(Array.from(heap.subarray(at / 4 + n, at / 4 + n + 4))).toEqual([-7, -7, -7, -7]);
    }
  });
});
