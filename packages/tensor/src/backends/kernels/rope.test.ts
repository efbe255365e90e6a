import { describe, expect, it } from 'vitest';
import { instantiateRope } from './rope-kernel.js';

// rope.wat on a memory of its own against float64 RoPE forward and backward. Each output is two
// products and one sum, each rounded once: within 2 · 2⁻²³ of the magnitude of its two terms
// (2⁻²⁴ per product and the sum, the sum's relative to at most their magnitude). Tables of
// (cos, sin) = (1, 0) and (0, 1) must give x and rot(x) (dy and Rᵀ·dy) exactly.

function reference(x: Float64Array, cos: Float64Array, sin: Float64Array, dy: Float64Array, nd: number) {
  const size = x.length;
  const [y, dx, yScale, dxScale] = Array.from({ length: 4 }, () => new Float64Array(size));
  for (let i = 0; i < size; i += 2) {
    const [c0, c1, s0, s1] = [cos[i % nd], cos[(i + 1) % nd], sin[i % nd], sin[(i + 1) % nd]];
    // rot(x) = (−x₁, x₀); its transpose applied to t = dy · sin is (t₁, −t₀)
    y[i] = x[i] * c0 - x[i + 1] * s0;
    y[i + 1] = x[i + 1] * c1 + x[i] * s1;
    dx[i] = dy[i] * c0 + dy[i + 1] * s1;
    dx[i + 1] = dy[i + 1] * c1 - dy[i] * s0;
    yScale[i] = Math.abs(x[i] * c0) + Math.abs(x[i + 1] * s0);
    yScale[i + 1] = Math.abs(x[i + 1] * c1) + Math.abs(x[i] * s1);
    dxScale[i] = Math.abs(dy[i] * c0) + Math.abs(dy[i + 1] * s1);
    dxScale[i + 1] = Math.abs(dy[i + 1] * c1) + Math.abs(dy[i] * s0);
  }
  return { y, dx, yScale, dxScale };
}

describe('rope.wat', () => {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  const kernel = instantiateRope(memory);

  /** x, dy [outer, nd] and cos, sin [nd] placed one after another from byte 64 on; y, dx filled with NaN. */
  function place(outer: number, nd: number, values: { x: Float32Array; dy: Float32Array; cos: Float32Array; sin: Float32Array }) {
    const heap = new Float32Array(memory.buffer);
    const size = outer * nd;
    const [x0, dy0, y0, dx0] = Array.from({ length: 4 }, (_, k) => 64 + 4 * size * k);
    const [cos0, sin0] = [64 + 16 * size, 64 + 16 * size + 4 * nd];
    const view = (at: number, n = size) => heap.subarray(at / 4, at / 4 + n);
    view(x0).set(values.x);
    view(dy0).set(values.dy);
    view(cos0, nd).set(values.cos);
    view(sin0, nd).set(values.sin);
    view(y0).fill(Number.NaN);
    view(dx0).fill(Number.NaN);
    kernel.forward(x0, cos0, sin0, y0, outer, nd);
    kernel.backward(dy0, cos0, sin0, dx0, outer, nd);
    return { y: view(y0).slice(), dx: view(dx0).slice() };
  }

  for (const [outer, n, d] of [
    [1, 1, 4],
    [1, 3, 8],
    [6, 5, 12],
    [2 * 3, 17, 64],
    [32 * 3, 65, 64],
  ]) {
    it(`outer ${outer}, N ${n}, D ${d}: forward and backward match float64`, () => {
      let seed = 11 + outer * n * d;
      const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
      const nd = n * d;
      const size = outer * nd;
      const x = Float32Array.from({ length: size }, () => random() * 4);
      const dy = Float32Array.from({ length: size }, () => random());
      const angles = Array.from({ length: nd }, () => random() * 40);
      const cos = Float32Array.from(angles, Math.cos);
      const sin = Float32Array.from(angles, Math.sin);
      const got = place(outer, nd, { x, dy, cos, sin });
      const exact = reference(Float64Array.from(x), Float64Array.from(cos), Float64Array.from(sin), Float64Array.from(dy), nd);
      const within = (name: string, values: Float32Array, want: Float64Array, scale: Float64Array) => {
        for (let i = 0; i < size; i++) {
          const bound = 2 * 2 ** -23 * scale[i];
          if (!(Math.abs(values[i] - want[i]) <= bound)) throw new Error(`${name}[${i}] = ${values[i]}, float64 ${want[i]} (bound ${bound})`);
        }
      };
      within('y', got.y, exact.y, exact.yScale);
      within('dx', got.dx, exact.dx, exact.dxScale);
    });
  }

  it('(cos, sin) = (1, 0) passes x and dy through; (0, 1) rotates them exactly', () => {
    const [outer, nd] = [3, 8];
    const x = Float32Array.from({ length: outer * nd }, (_, i) => (i + 1) * (i % 3 === 0 ? -1.5 : 0.75));
    const dy = x.map((v) => v / 3);
    const ones = new Float32Array(nd).fill(1);
    const zeros = new Float32Array(nd);
    const identity = place(outer, nd, { x, dy, cos: ones, sin: zeros });
    expect(Array.from(identity.y)).toEqual(Array.from(x));
    expect(Array.from(identity.dx)).toEqual(Array.from(dy));
    const rotation = place(outer, nd, { x, dy, cos: zeros, sin: ones });
    for (let i = 0; i < outer * nd; i += 2) {
      expect([rotation.y[i], rotation.y[i + 1]]).toEqual([-x[i + 1], x[i]]);
      expect([rotation.dx[i], rotation.dx[i + 1]]).toEqual([dy[i + 1], -dy[i]]);
    }
  });

  it('writes nothing past outer · N · D', () => {
    const heap = new Float32Array(memory.buffer);
    const [outer, nd] = [3, 8];
    const size = outer * nd;
    const [x0, cos0, sin0, y0, dx0] = Array.from({ length: 5 }, (_, k) => 64 + 4 * (size + 4) * k);
    for (const at of [x0, cos0, sin0]) heap.subarray(at / 4, at / 4 + size).fill(0.5);
    for (const at of [y0, dx0]) heap.subarray(at / 4, at / 4 + size + 4).fill(-7);
    kernel.forward(x0, cos0, sin0, y0, outer, nd);
    kernel.backward(x0, cos0, sin0, dx0, outer, nd);
    for (const at of [y0, dx0]) {
      expect(heap.subarray(at / 4, at / 4 + size).every((v) => v !== -7)).toBe(true);
      expect(Array.from(heap.subarray(at / 4 + size, at / 4 + size + 4))).toEqual([-7, -7, -7, -7]);
    }
  });
});
