import { expect, it } from 'vitest';
import { tf } from '../index.js';
import { recordKernels } from '../profile.js';
import { describeEachBackend, liveTensors } from '../testing/index.js';
import { denseChunks } from './dense.js';
import { setFusedKernels } from './fused.js';

// denseChunks against a float64 product and against its composite form (tf.split(dense(a, b)),
// setFusedKernels(false)) on every backend: on wasm the chunk kernel runs where a chunk fits our
// GEMM (width % 4 = 0, any M), and values and gradients equal the composite's bit for bit.

describeEachBackend('denseChunks', (backend) => {
  const cases: Array<{ m: number; k: number; n: number; chunks: number; fits: boolean }> = [
    { m: 36, k: 40, n: 96, chunks: 3, fits: true }, // q, k, v
    { m: 288, k: 64, n: 256, chunks: 2, fits: true }, // SwiGLU's two halves, more rows than inputs
    { m: 2, k: 40, n: 96, chunks: 3, fits: true }, // two rows (adaLN's modulation at batch 2): one 2-row edge tile
    { m: 6, k: 5, n: 10, chunks: 2, fits: false }, // does not fit (width 5, 10 columns in all): the composite everywhere
  ];
  for (const { m, k, n, chunks, fits } of cases)
    for (const withBias of [false, true]) {
      const fuses = backend === 'wasm' && fits;
      it(`[${m}, ${k}] · [${k}, ${n}]${withBias ? ' + bias' : ''} in ${chunks}: float64 values, ${fuses ? 'the chunk kernel' : 'composite ops'}, gradients as the composite`, async () => {
        const before = liveTensors();
        const a = tf.randomNormal([m, k], 0, 1, 'float32', 1) as tf.Tensor2D;
        const b = tf.randomNormal([k, n], 0, 1, 'float32', 2) as tf.Tensor2D;
        const weights = tf.randomNormal([chunks, m, n / chunks], 0, 1, 'float32', 3);
        const bias = tf.randomNormal([n], 0, 2, 'float32', 4) as tf.Tensor1D;
        const run = () =>
          tf.tidy(() => {
            const f = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) => {
              const parts = denseChunks(x as tf.Tensor2D, w as tf.Tensor2D, chunks, withBias ? (c as tf.Tensor1D) : undefined);
              return tf.addN(parts.map((part, i) => tf.sum(tf.mul(tf.square(part), tf.gather(weights, i)))));
            };
            const parts = denseChunks(a, b, chunks, withBias ? bias : undefined);
            const grads = withBias ? tf.grads(f)([a, b, bias]) : tf.grads((x: tf.Tensor, w: tf.Tensor) => f(x, w, bias))([a, b]);
            return [...parts, ...grads];
          });
        const { result: fused, kernels } = await recordKernels(async () => run());
        expect(kernels.some((kernel) => kernel.name === 'DenseChunksWasm')).toBe(fuses);
        setFusedKernels(false, ['denseChunks']);
        const composite = run();
        setFusedKernels(true, ['denseChunks']);
        for (let i = 0; i < fused.length; i++) expect(await fused[i].data()).toEqual(await composite[i].data());
        // The chunks against a float64 product.
        const [av, bv, cv] = [await a.data(), await b.data(), await bias.data()];
        const width = n / chunks;
        for (let c = 0; c < chunks; c++) {
          const got = await fused[c].data();
          expect(fused[c].shape).toEqual([m, width]);
          for (let i = 0; i < m; i++)
            for (let j = 0; j < width; j++) {
              let exact = withBias ? cv[c * width + j] : 0;
              let magnitude = Math.abs(exact);
              for (let q = 0; q < k; q++) {
                exact += av[i * k + q] * bv[q * n + c * width + j];
                magnitude += Math.abs(av[i * k + q] * bv[q * n + c * width + j]);
              }
              expect(Math.abs(got[i * width + j] - exact)).toBeLessThanOrEqual((k + 1) * 2 ** -23 * magnitude);
            }
        }
        // The whole product's columns, chunk by chunk.
        const whole = tf.tidy(() => tf.split(withBias ? tf.add(tf.matMul(a, b), bias) : tf.matMul(a, b), chunks, 1));
        for (let c = 0; c < chunks; c++) expect(await fused[c].data()).toEqual(await whole[c].data());
        tf.dispose([a, b, bias, weights, ...fused, ...composite, ...whole]);
        expect(liveTensors()).toBe(before);
      });
    }

  it('refuses chunks that do not divide the columns', () => {
    const a = tf.zeros([4, 3]) as tf.Tensor2D;
    const b = tf.zeros([3, 10]) as tf.Tensor2D;
    expect(() => denseChunks(a, b, 3)).toThrow(/cannot split 10 columns into 3/);
    tf.dispose([a, b]);
  });
});
