import { expect, it } from 'vitest';
import { tf } from './index.js';
import { recordKernels } from './profile.js';
import { describeEachBackend, liveTensors } from './testing/index.js';

describeEachBackend('recordKernels', () => {
  it('sees every kernel call once with its shapes, not custom-gradient scopes, and restores the kernels', async () => {
    const before = liveTensors();
    const kernelBefore = tf.getKernel('Multiply', tf.getBackend());
    const scaled = tf.customGrad(((x: tf.Tensor) => ({ value: tf.mul(x, 2), gradFunc: (dy: tf.Tensor) => tf.mul(dy, 2) })) as unknown as Parameters<
      typeof tf.customGrad
    >[0]);
    const x = tf.ones([2, 3]);
    const { result, kernels } = await recordKernels(async () => {
      const y = tf.tidy(() => tf.add(scaled(x) as tf.Tensor, tf.ones([3])));
      const values = await y.data();
      y.dispose();
      return Array.from(values);
    });
    expect(result).toEqual([3, 3, 3, 3, 3, 3]);
    const names = kernels.map((k) => k.name);
    expect(names.filter((name) => name === 'Multiply')).toHaveLength(1);
    expect(names.filter((name) => name === 'Add')).toHaveLength(1);
    expect(names.every((name) => tf.getKernel(name, tf.getBackend()) !== undefined)).toBe(true); // no scope names
    expect(kernels.find((k) => k.name === 'Add')!.inputShapes).toEqual([[2, 3], [3]]);
    for (const k of kernels) expect(k.ms).toBeGreaterThanOrEqual(0);
    expect(tf.getKernel('Multiply', tf.getBackend())).toBe(kernelBefore);
    x.dispose();
    expect(liveTensors()).toBe(before);
  });
});
