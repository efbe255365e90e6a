import { readdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { tf, initBackend, setThreadsCount } from '../index.js';

/** C = A·B in float64 JS, for a reference. */
function matMulReference(a: Float32Array, b: Float32Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  return c;
}

describe('wasm backend in Node', () => {
  it('runs XNNPACK on 2 threads with SIMD, and undoes its start-up patches', async () => {
    const cpuCount = cpus().length;
    const createObjectURL = URL.createObjectURL;
    const info = await initBackend('wasm', { threads: 2 });
    expect(info).toMatchObject({ name: 'wasm', tfjsBackend: 'wasm', threads: 2, simd: true });
    expect(tf.getBackend()).toBe('wasm');
    expect(cpus().length).toBe(cpuCount);
    expect(URL.createObjectURL).toBe(createObjectURL);
    // The pthread worker file is gone once the workers have loaded it.
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`pixelrepa-wasm-${process.pid}-`))).toEqual([]);
  });

  it('multiplies matrices correctly on the thread pool', () => {
    // 128³ is large enough for XNNPACK to split the work across its threads.
    const n = 128;
    const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 201) / 100 - 1);
    const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 197) / 98 - 1);
    const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])).dataSync());
    const expected = matMulReference(a, b, n);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(product[i] - expected[i]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('computes gradients', () => {
    const g = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => tf.sum(tf.mul(x, x)))(tf.tensor1d([1, -2, 3]))
        .dataSync(),
    );
    expect(Array.from(g)).toEqual([2, -4, 6]);
  });

  it('keeps its threads once started, and says so', async () => {
    await expect(initBackend('wasm', { threads: 1 })).rejects.toThrow(/already runs with 2 threads.*new process/);
    expect(() => setThreadsCount(3)).toThrow(/already runs with 2 threads/);
    expect(() => setThreadsCount(0)).toThrow(/positive integer/);
    const again = await initBackend('wasm');
    expect(again.threads).toBe(2);
  });
});
