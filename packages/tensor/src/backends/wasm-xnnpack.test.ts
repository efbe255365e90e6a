import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '../index.js';
import { recordKernels } from '../profile.js';
import { wasmGemm } from './wasm/batch-matmul.js';
import type { WasmBackend } from './wasm/heap.js';

// A process of its own (vitest's forks pool): the wasm backend on 2 threads with XNNPACK's pool on 1.
describe('wasm backend with xnnpackThreads', () => {
  it('rejects more XNNPACK threads than threads', async () => {
    await expect(initBackend('wasm', { threads: 1, xnnpackThreads: 2 })).rejects.toThrow(/cannot exceed threads/);
  });

  it('runs on 2 threads with XNNPACK on 1: our GEMM keeps its helper thread, results are right', async () => {
    const info = await initBackend('wasm', { threads: 2, xnnpackThreads: 1 });
    expect(info).toMatchObject({ name: 'wasm', threads: 2, xnnpackThreads: 1, simd: true });
    expect(info.reason).toMatch(/2 threads, XNNPACK on 1/);
    const gemm = wasmGemm(tf.backend() as unknown as WasmBackend)!;
    for (let waited = 0; !gemm.helperReady && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(gemm.helperReady).toBe(true);
    const n = 96;
    const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 201) / 100 - 1);
    const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 197) / 98 - 1);
    const { result: product, kernels } = await recordKernels(async () => tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])).dataSync()));
    expect(kernels.map((k) => k.name)).toContain('BatchMatMul');
    for (let i = 0; i < n; i += 7)
      for (let j = 0; j < n; j += 5) {
        let exact = 0;
        for (let k = 0; k < n; k++) exact += a[i * n + k] * b[k * n + j];
        expect(Math.abs(product[i * n + j] - exact)).toBeLessThan(1e-4);
      }
    // an XNNPACK operation on its single thread
    expect(Array.from(tf.tidy(() => tf.sigmoid(tf.tensor1d([0, 100])).dataSync()))).toEqual([0.5, 1]);
  });

  it('keeps its XNNPACK threads once started, and says so', async () => {
    await expect(initBackend('wasm', { xnnpackThreads: 2 })).rejects.toThrow(/XNNPACK on 1 thread in this process.*new process/);
    const again = await initBackend('wasm');
    expect(again).toMatchObject({ threads: 2, xnnpackThreads: 1 });
  });
});
