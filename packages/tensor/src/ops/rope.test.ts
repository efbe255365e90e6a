import { expect, it } from 'vitest';
import { tf } from '../index.js';
import { recordKernels } from '../profile.js';
import { describeEachBackend, liveTensors } from '../testing/index.js';
import { setFusedKernels } from './fused.js';
import { rope, rotateHalf } from './rope.js';

// The op against its composite form x · cos + rotateHalf(x) · sin (setFusedKernels(false)) on every
// backend: on wasm the fused kernels must run for float32 x [..., N, D] with [N, D] tables and
// D mod 4 = 0, and the composite elsewhere (other backends, other shapes). rope.wat does the
// composite's float32 operations (rotateHalf's signed permutation product is exact), so values and
// the gradient wrt x are bit-identical to the composite's; only the sign of a zero may differ.

/** The float32 bit patterns of `values`, −0 read as +0. */
function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(Float32Array.from(values, (v) => (v === 0 ? 0 : v)).buffer));
}

/** RoPE-like tables [n, d]: `prefix` rows of cos = 1, sin = 0 (unrotated tokens), then angles in [−40, 40]. */
function tables(n: number, d: number, prefix: number, seed: number): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const angles = tf.concat([tf.zeros([prefix, d]), tf.randomUniform([n - prefix, d], -40, 40, 'float32', seed)]);
    return [tf.cos(angles) as tf.Tensor2D, tf.sin(angles) as tf.Tensor2D];
  });
}

/** rope(x, cos, sin) and its gradient wrt x for the cotangent dy, in one tidy. */
function run(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor, dy: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => {
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(rope(input, cos, sin), dy)))(x);
    return [rope(x, cos, sin), dx];
  });
}

describeEachBackend('rope', (backend) => {
  for (const { shape, prefix } of [
    { shape: [2, 3, 5, 8], prefix: 0 },
    { shape: [7, 12], prefix: 2 },
    { shape: [2, 17, 16], prefix: 1 },
    { shape: [2, 3, 4 + 16, 64], prefix: 4 },
  ]) {
    const fuses = backend === 'wasm';
    it(`${shape.join('×')}, ${prefix} unrotated rows: values and gradient ${fuses ? 'of the fused kernels ' : ''}as the composite's`, async () => {
      const before = liveTensors();
      const [n, d] = shape.slice(-2);
      const [cos, sin] = tables(n, d, prefix, 1);
      const x = tf.randomNormal(shape, 0, 2, 'float32', 2);
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 3);
      const { result: ours, kernels } = await recordKernels(async () => run(x, cos, sin, dy));
      setFusedKernels(false, ['rope']);
      const { result: composite, kernels: compositeKernels } = await recordKernels(async () => run(x, cos, sin, dy));
      setFusedKernels(true, ['rope']);
      const ran = kernels.map((k) => k.name);
      expect(ran.includes('RopeWasm') && ran.includes('RopeGradWasm')).toBe(fuses);
      // fused: no rotation product, no Add of the two terms or of the two gradients
      expect(ran.some((name) => name === 'BatchMatMul' || name === 'Add')).toBe(!fuses);
      expect(compositeKernels.filter((k) => k.name === 'BatchMatMul').length).toBe(4); // forward twice, dense's two gradients
      for (let k = 0; k < 2; k++) {
        expect(ours[k].shape).toEqual(shape);
        expect(bits(await ours[k].data<'float32'>())).toEqual(bits(await composite[k].data<'float32'>()));
      }
      // unrotated rows: y = x and dx = dy exactly
      const [xv, dyv, y, dx] = await Promise.all([x.data(), dy.data(), ours[0].data(), ours[1].data()]);
      for (let i = 0; i < xv.length; i++) {
        if (Math.floor(i / d) % n >= prefix) continue;
        expect([y[i], dx[i]]).toEqual([xv[i], dyv[i]]);
      }
      tf.dispose([cos, sin, x, dy, ...ours, ...composite]);
      expect(liveTensors()).toBe(before);
    });
  }

  it('runs the composite ops where the kernel cannot take the shapes (D mod 4 ≠ 0, broadcasting tables)', async () => {
    for (const [xShape, tableShape] of [
      [
        [2, 3, 6],
        [3, 6],
      ],
      [
        [2, 3, 8],
        [1, 8],
      ],
    ]) {
      const x = tf.randomNormal(xShape, 0, 1, 'float32', 4);
      const angles = tf.randomUniform(tableShape, -3, 3, 'float32', 5);
      const [cos, sin] = [tf.cos(angles), tf.sin(angles)];
      const { result, kernels } = await recordKernels(async () =>
        tf.tidy(() => [rope(x, cos, sin), tf.grad((input: tf.Tensor) => tf.sum(rope(input, cos, sin)))(x)]),
      );
      expect(kernels.some((k) => k.name.startsWith('Rope'))).toBe(false);
      expect(result.map((t) => t.shape)).toEqual([xShape, xShape]);
      const want = tf.tidy(() => tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin)));
      expect(bits(await result[0].data<'float32'>())).toEqual(bits(await want.data<'float32'>()));
      tf.dispose([x, angles, cos, sin, want, ...result]);
    }
  });

  it('rotateHalf rotates adjacent pairs', async () => {
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const r = rotateHalf(x);
    expect(Array.from(await r.data())).toEqual([-2, 1, -4, 3, -6, 5, -8, 7]);
    tf.dispose([x, r]);
  });

  it('leaks nothing outside a tidy, with and without a gradient tape', () => {
    const [cos, sin] = tables(6, 8, 2, 6);
    const x = tf.randomNormal([2, 6, 8], 0, 1, 'float32', 7);
    const before = liveTensors();
    const y = rope(x, cos, sin);
    expect(liveTensors()).toBe(before + 1);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(rope(input, cos, sin)))(x);
    expect(liveTensors()).toBe(before + 2);
    tf.dispose([y, dx, cos, sin, x]);
  });
});
