import { expect, it } from 'vitest';
import { HOST_STATE_ARENA_MAX_BYTES, HostStateArena, hostStateArenaBytes, hostStateArenaSupported, tf } from '../index.js';
import { describeEachBackend, liveTensors } from '../testing/index.js';

// The host state arena's AdamW and EMA passes against the update computed in float64 with every
// operation rounded to float32 (Math.fround), which is what IEEE float32 kernels compute: the bits
// must be equal. On every backend: the values come in from the backend and go back to it.

const f32 = Math.fround;

function values(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + seed) * scale);
}

function variable(x: Float32Array, shape: number[]): tf.Variable {
  const initial = tf.tensor(x, shape);
  const v = tf.variable(initial, true);
  initial.dispose();
  return v;
}

const scalars = (lr: number, wd: number, step: number) => ({
  decay: f32(1 - lr * wd),
  b1: f32(0.9),
  c1: f32(1 - 0.9),
  b2: f32(0.95),
  c2: f32(1 - 0.95),
  bias2: f32(Math.sqrt(1 - 0.95 ** step)),
  eps: f32(1e-8),
  step: f32(-lr / (1 - 0.9 ** step)),
  decays: wd !== 0,
});

it('this runtime has the WASM SIMD the arena needs (Node ≥ 16)', () => {
  expect(hostStateArenaSupported()).toBe(true);
});

describeEachBackend('host state arena', () => {
  it('AdamW: moments in place and the parameter assigned, bit for bit with the float32 update (SIMD body and tail, decay on and off, several steps)', () => {
    // Two parameters of odd sizes: the second's moments start at a 16-byte boundary after the first's.
    const shapes = [[7, 149], [3]];
    const sizes = shapes.map((s) => s[0] * (s[1] ?? 1));
    const arena = HostStateArena.create([...sizes, ...sizes], Math.max(...sizes))!;
    expect(arena.views.map((v) => v.length)).toEqual([...sizes, ...sizes]);
    for (const view of arena.views) expect(view.byteOffset % 16).toBe(0);
    const before = liveTensors();
    for (const [k, shape] of shapes.entries()) {
      const n = sizes[k];
      let p = values(n, 1 + k);
      const parameter = variable(p, shape);
      const [m, v] = [arena.views[k], arena.views[sizes.length + k]];
      const ref = { m: new Float32Array(n), v: new Float32Array(n) };
      for (let t = 1; t <= 3; t++) {
        const wd = t === 2 ? 0 : 0.05;
        const s = scalars(1e-3, wd, t);
        const g0 = values(n, 10 * t + k, 0.1);
        const grad = tf.tensor(g0, shape);
        const data = parameter.dataId;
        arena.adamw(parameter, grad, m, v, s);
        expect(parameter.dataId).not.toBe(data);
        expect(Array.from(grad.dataSync())).toEqual(Array.from(g0));
        grad.dispose();
        const next = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const mi = f32(f32(ref.m[i] * s.b1) + f32(g0[i] * s.c1));
          const vi = f32(f32(ref.v[i] * s.b2) + f32(f32(g0[i] * s.c2) * g0[i]));
          const denom = f32(f32(f32(Math.sqrt(vi)) / s.bias2) + s.eps);
          next[i] = f32((s.decays ? f32(p[i] * s.decay) : p[i]) + f32(f32(mi * s.step) / denom));
          ref.m[i] = mi;
          ref.v[i] = vi;
        }
        p = next;
        expect(Array.from(m)).toEqual(Array.from(ref.m));
        expect(Array.from(v)).toEqual(Array.from(ref.v));
        expect(Array.from(parameter.dataSync())).toEqual(Array.from(p));
        expect(parameter.shape).toEqual(shape);
      }
      parameter.dispose();
    }
    expect(liveTensors()).toBe(before);
  });

  it('EMA: one or two averages in place, bit for bit, from values at any offset of the block', () => {
    const n = 37;
    const arena = HostStateArena.create([n + 5, n + 5], n)!;
    const e0 = [values(n, 3), values(n, 4)];
    const [e1, e2] = arena.views.map((view) => view.subarray(5, 5 + n));
    e1.set(e0[0]);
    e2.set(e0[1]);
    const p = values(n, 5);
    const value = tf.tensor(p, [n]);
    const before = liveTensors();
    const pairs = [
      [f32(0.9), f32(1 - 0.9)],
      [f32(0.5), f32(1 - 0.5)],
    ];
    arena.ema(value, [
      { e: e1, keep: pairs[0][0], take: pairs[0][1] },
      { e: e2, keep: pairs[1][0], take: pairs[1][1] },
    ]);
    arena.ema(value, [{ e: e1, keep: pairs[0][0], take: pairs[0][1] }]);
    expect(liveTensors()).toBe(before);
    const once = (e: number, x: number, [keep, take]: number[]) => f32(f32(e * keep) + f32(x * take));
    expect(Array.from(e1)).toEqual(Array.from(e0[0], (e, i) => f32(once(once(e, p[i], pairs[0]), p[i], pairs[0]))));
    expect(Array.from(e2)).toEqual(Array.from(e0[1], (e, i) => once(e, p[i], pairs[1])));
    // The first five floats of each block are untouched.
    expect(Array.from(arena.views[0].subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    value.dispose();
  });

  it('refuses what it cannot hold: more than 4 GiB, a parameter past its staging area, views of another memory, wrong sizes', () => {
    expect(hostStateArenaBytes([2 ** 29, 2 ** 29], 0)).toBe(HOST_STATE_ARENA_MAX_BYTES);
    expect(() => HostStateArena.create([2 ** 29, 2 ** 29 + 1], 0)).toThrow(/does not fit one WASM memory/);
    expect(() => HostStateArena.create([2 ** 28], 2 ** 29)).toThrow(/does not fit one WASM memory/);
    expect(() => HostStateArena.create([-1], 4)).toThrow(RangeError);
    const arena = HostStateArena.create([8, 8, 9, 9], 8)!;
    const other = HostStateArena.create([8, 8], 8)!;
    const before = liveTensors();
    const big = variable(values(9, 1), [9]);
    const bigGrad = tf.tensor(values(9, 2));
    expect(() => arena.adamw(big, bigGrad, arena.views[0].subarray(0, 8), arena.views[1], scalars(1e-3, 0, 1))).toThrow(/moments 8 and 8 values/);
    expect(() => arena.adamw(big, bigGrad, arena.views[2], arena.views[3], scalars(1e-3, 0, 1))).toThrow(/9 values exceed its staging area of 8/);
    expect(() => arena.ema(big, [{ e: arena.views[2], keep: 0.5, take: 0.5 }])).toThrow(/staging area of 8/);
    const p = variable(values(8, 1), [8]);
    const g = tf.tensor(values(8, 2));
    expect(() => arena.adamw(p, g, other.views[0], arena.views[1], scalars(1e-3, 0, 1))).toThrow(/another memory/);
    expect(() => arena.ema(p, [{ e: new Float32Array(8), keep: 0.5, take: 0.5 }])).toThrow(/another memory/);
    expect(() => arena.ema(p, [])).toThrow(/one or two/);
    expect(() => arena.ema(p, [{ e: arena.views[0].subarray(0, 4), keep: 0.5, take: 0.5 }])).toThrow(/4 averages for 8 values/);
    // Nothing was written by the refused calls.
    for (const view of arena.views) expect(view.every((x) => x === 0)).toBe(true);
    tf.dispose([big, bigGrad, p, g]);
    expect(liveTensors()).toBe(before);
  });
});
