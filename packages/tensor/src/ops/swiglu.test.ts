import { expect, it } from 'vitest';
import { tf } from '../index.js';
import { recordKernels } from '../profile.js';
import { describeEachBackend, liveTensors } from '../testing/index.js';
import { setFusedKernels } from './fused.js';
import { swiglu } from './swiglu.js';

// The op against a float64 reference (forward and tf.grads) and against its composite form
// (setFusedKernels(false)) on every backend: on wasm the fused kernels must run for operands of one
// shape (any size: the kernel's tail takes the last size mod 4), and the composite elsewhere. swiglu.wat does tfjs autodiff's float32
// operations in its order, so values and gradients are bit-identical to the composite's.

function reference(a: ArrayLike<number>, b: ArrayLike<number>, dy: ArrayLike<number>) {
  const n = a.length;
  const [y, da, db] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    const s = 1 / (1 + Math.exp(-a[i]));
    y[i] = a[i] * s * b[i];
    da[i] = dy[i] * b[i] * (s + a[i] * s * (1 - s));
    db[i] = dy[i] * a[i] * s;
  }
  return [y, da, db];
}

describeEachBackend('swiglu', (backend) => {
  for (const shape of [
    [2, 5, 64],
    [3, 12],
    [4, 6],
    [2, 3, 7],
  ]) {
    const fuses = backend === 'wasm';
    it(`${shape.join('×')}: float64 values and gradients, ${fuses ? 'fused kernels' : 'composite ops'}, as the composite`, async () => {
      const before = liveTensors();
      const a = tf.randomUniform(shape, -8, 8, 'float32', 1);
      const b = tf.randomNormal(shape, 0, 1, 'float32', 2);
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 3);
      const run = () =>
        tf.tidy(() => {
          const f = (x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(swiglu(x, z), dy));
          const [da, db] = tf.grads(f)([a, b]);
          return [swiglu(a, b), da, db];
        });
      const { result: ours, kernels } = await recordKernels(async () => run());
      setFusedKernels(false, ['swiglu']);
      const composite = run();
      setFusedKernels(true, ['swiglu']);
      const ran = kernels.map((k) => k.name);
      expect(ran.includes('SwigluWasm') && ran.includes('SwigluGradWasm')).toBe(fuses);
      const exact = reference(await a.data(), await b.data(), await dy.data());
      const [av, bv, dyv] = [await a.data(), await b.data(), await dy.data()];
      // magnitudes of the terms each value is made of
      const scale = [
        (i: number) => Math.abs(av[i] * bv[i]),
        (i: number) => Math.abs(dyv[i] * bv[i]) * (1 + Math.abs(av[i])),
        (i: number) => Math.abs(dyv[i] * av[i]),
      ];
      for (let k = 0; k < 3; k++) {
        const [got, want] = [await ours[k].data(), await composite[k].data()];
        expect(ours[k].shape).toEqual(shape);
        for (let i = 0; i < want.length; i++) {
          expect(Math.abs(got[i] - exact[k][i])).toBeLessThanOrEqual(1e-5 * scale[k](i) + 1e-7);
        }
        expect(Array.from(got)).toEqual(Array.from(want));
      }
      tf.dispose([a, b, dy, ...ours, ...composite]);
      expect(liveTensors()).toBe(before);
    });
  }

  it('runs the composite ops for broadcasting operands, gradients summed back to each shape', async () => {
    const a = tf.randomNormal([3, 8], 0, 2, 'float32', 6);
    const b = tf.randomNormal([8], 0, 1, 'float32', 7);
    const { result, kernels } = await recordKernels(async () => tf.tidy(() => tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(swiglu(x, z)))([a, b])));
    expect(kernels.some((k) => k.name.startsWith('Swiglu'))).toBe(false);
    const [av, bv] = [await a.data(), await b.data()];
    const [da, db] = [await result[0].data(), await result[1].data()];
    expect(result.map((t) => t.shape)).toEqual([[3, 8], [8]]);
    for (let j = 0; j < 8; j++) {
      let sum = 0;
      for (let i = 0; i < 3; i++) {
        const x = av[i * 8 + j];
        const s = 1 / (1 + Math.exp(-x));
        sum += x * s;
        expect(da[i * 8 + j]).toBeCloseTo(bv[j] * (s + x * s * (1 - s)), 5);
      }
      expect(db[j]).toBeCloseTo(sum, 5);
    }
    tf.dispose([a, b, ...result]);
  });

  it('leaks nothing outside a tidy, with and without a gradient tape', () => {
    const a = tf.randomNormal([3, 8], 0, 2, 'float32', 4);
    const b = tf.randomNormal([3, 8], 0, 1, 'float32', 5);
    const before = liveTensors();
    const y = swiglu(a, b);
    expect(liveTensors()).toBe(before + 1);
    const [da, db] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(swiglu(x, z)))([a, b]);
    expect(liveTensors()).toBe(before + 3);
    tf.dispose([y, da, db, a, b]);
  });
});
