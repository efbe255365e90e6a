import { expect, it } from 'vitest';
import { tf } from '../index.js';
import { recordKernels } from '../profile.js';
import { describeEachBackend, liveTensors } from '../testing/index.js';
import { setFusedKernels } from './fused.js';
import { rmsNorm } from './rms-norm.js';

// The op against its composite form (setFusedKernels(false)) on every backend: on wasm the fused
// kernels must run and agree to float32 rounding; elsewhere the composite runs and agrees exactly.

describeEachBackend('rmsNorm', (backend) => {
  it('matches the composite ops forward and backward, with the fused kernels on wasm', async () => {
    const before = liveTensors();
    const x = tf.randomNormal([2, 5, 64], 0, 2, 'float32', 1);
    const w = tf.randomUniform([64], 0.5, 1.5, 'float32', 2);
    const dy = tf.randomNormal([2, 5, 64], 0, 1, 'float32', 3);
    const run = () =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(rmsNorm(a, b, 1e-6), dy));
        const { value, grads } = tf.valueAndGrads(f)([x, w]);
        return [rmsNorm(x, w, 1e-6), value, ...grads];
      });
    const { result: fusedOut, kernels } = await recordKernels(async () => run());
    setFusedKernels(false);
    const compositeOut = run();
    setFusedKernels(true);
    const ran = kernels.map((k) => k.name);
    expect(ran.includes('RmsNormWasm') && ran.includes('RmsNormGradWasm')).toBe(backend === 'wasm');
    for (let i = 0; i < fusedOut.length; i++) {
      const [got, want] = [await fusedOut[i].data(), await compositeOut[i].data()];
      expect(fusedOut[i].shape).toEqual(compositeOut[i].shape);
      for (let j = 0; j < want.length; j++) expect(Math.abs(got[j] - want[j])).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(want[j])));
    }
    tf.dispose([x, w, dy, ...fusedOut, ...compositeOut]);
    expect(liveTensors()).toBe(before);
  });

  it('falls back to the composite form where the last axis is not a multiple of 4', () => {
    const y = tf.tidy(() => rmsNorm(tf.ones([3, 6]), tf.ones([6]), 1e-6));
    expect(y.shape).toEqual([3, 6]);
    expect(Array.from(y.dataSync()).every((v) => Math.abs(v - 1) < 1e-5)).toBe(true);
    y.dispose();
  });
});
