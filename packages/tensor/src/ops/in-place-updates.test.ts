import { describe, expect, it } from 'vitest';
import { adamwInPlace, emaInPlace, initBackend, tf } from '../index.js';

// The fused kernels against the update computed in float64 with every operation rounded to
// float32 (Math.fround), which is what IEEE float32 kernels compute: the bits must be equal.

const f32 = Math.fround;

function values(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + seed) * scale);
}

/** A variable that owns its buffer alone (the initial tensor freed), as the optimiser's are. */
function variable(x: Float32Array, trainable = false): tf.Variable {
  const initial = tf.tensor(x);
  const v = tf.variable(initial, trainable);
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

describe('in-place AdamW and EMA updates', () => {
  it('on wasm: AdamW gives the float32-rounded update bit for bit (4-lane body and scalar tail), the parameter in a new buffer', async () => {
    await initBackend('wasm');
    for (const [n, wd] of [
      [1031, 0.05],
      [3, 0],
    ] as const) {
      const [p0, g0, m0, v0] = [values(n, 1), values(n, 2, 0.1), values(n, 3, 0.01), values(n, 4, 1e-4).map(Math.abs)];
      const p = variable(p0, true);
      const g = tf.tensor(g0);
      const m = variable(m0, false);
      const v = variable(v0, false);
      const before = tf.memory().numTensors;
      const oldData = p.dataId;
      const s = scalars(1e-3, wd, 3);
      expect(adamwInPlace(p, g, m, v, s)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      expect(p.dataId).not.toBe(oldData);
      const [pv, mv, vv] = [p.dataSync(), m.dataSync(), v.dataSync()];
      for (let i = 0; i < n; i++) {
        const mi = f32(f32(m0[i] * s.b1) + f32(g0[i] * s.c1));
        const vi = f32(f32(v0[i] * s.b2) + f32(f32(g0[i] * s.c2) * g0[i]));
        const denom = f32(f32(f32(Math.sqrt(vi)) / s.bias2) + s.eps);
        const pi = f32((s.decays ? f32(p0[i] * s.decay) : p0[i]) + f32(f32(mi * s.step) / denom));
        expect([mv[i], vv[i], pv[i]]).toEqual([mi, vi, pi]);
      }
      tf.dispose([p, g, m, v]);
    }
  });

  it('on wasm: two EMAs over parameters of odd sizes (unaligned slots) in one pass, bit for bit', async () => {
    await initBackend('wasm');
    const sizes = [5, 7, 1031, 1];
    const params = sizes.map((n, i) => tf.tensor(values(n, 10 + i)));
    const total = sizes.reduce((a, b) => a + b, 0);
    const [e1v, e2v] = [values(total, 20), values(total, 21)];
    const e1 = variable(e1v, false);
    const e2 = variable(e2v, false);
    const [keep1, take1, keep2, take2] = [f32(0.9999), f32(1 - 0.9999), f32(0.9996), f32(1 - 0.9996)];
    expect(
      emaInPlace(params, [
        { flat: e1, keep: keep1, take: take1 },
        { flat: e2, keep: keep2, take: take2 },
      ]),
    ).toBe(true);
    const p = Float32Array.from(params.flatMap((t) => Array.from(t.dataSync())));
    const [got1, got2] = [e1.dataSync(), e2.dataSync()];
    for (let i = 0; i < total; i++) {
      expect(got1[i]).toBe(f32(f32(e1v[i] * keep1) + f32(p[i] * take1)));
      expect(got2[i]).toBe(f32(f32(e2v[i] * keep2) + f32(p[i] * take2)));
    }
    tf.dispose([...params, e1, e2]);
  });

  it('changes nothing and returns false where a moment or an EMA shares its buffer, or off wasm', async () => {
    await initBackend('wasm');
    const p = variable(values(8, 1), true);
    const g = tf.tensor(values(8, 2));
    const m = variable(values(8, 3), false);
    const v = variable(values(8, 4).map(Math.abs), false);
    const view = tf.clone(m); // shares m's buffer on wasm
    const mBefore = m.dataSync().slice();
    expect(adamwInPlace(p, g, m, v, scalars(1e-3, 0, 1))).toBe(false);
    expect(m.dataSync()).toEqual(mBefore);
    expect(emaInPlace([p], [{ flat: m, keep: 0.5, take: 0.5 }])).toBe(false);
    expect(view.dataSync()).toEqual(mBefore);
    tf.dispose([p, g, m, v, view]);
    await initBackend('cpu');
    const q = variable(values(8, 1), true);
    const e = variable(values(8, 5), false);
    expect(emaInPlace([q], [{ flat: e, keep: 0.5, take: 0.5 }])).toBe(false);
    tf.dispose([q, e]);
  });
});
