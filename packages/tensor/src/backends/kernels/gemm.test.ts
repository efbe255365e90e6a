import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { enableRelaxedSimd, hasRelaxedSimd, WasmGemm, type WorkerConstructor } from './gemm-driver.js';

// gemm.wat through its driver on a memory of its own, against a float64 product. Each output may
// differ from the float64 value by the float32 rounding of a K-term sum: |error| ≤ K · 2⁻²³ · Σ|a·b|.

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** B's row stride when it is the first n columns of a wider matrix (not transposed, batch 1). */
  ldb?: number;
  /** Add a bias [n] to every row (with the last K block). */
  bias?: boolean;
}

const cases: Case[] = [
  { batch: 1, m: 2304, k: 192, n: 64, transposeA: false, transposeB: false }, // a layer, large enough to split rows
  { batch: 1, m: 64, k: 600, n: 40, transposeA: false, transposeB: false }, // K over several KC blocks (accumulating)
  { batch: 1, m: 36, k: 300, n: 96, transposeA: true, transposeB: false }, // a weight gradient xᵀ·dy
  { batch: 1, m: 68, k: 33, n: 24, transposeA: false, transposeB: true }, // an input gradient dy·Wᵀ
  { batch: 7, m: 72, k: 64, n: 72, transposeA: false, transposeB: true }, // attention q·kᵀ, an odd batch split
  { batch: 3, m: 8, k: 5, n: 8, transposeA: true, transposeB: true },
  { batch: 1, m: 64, k: 300, n: 1024, transposeA: false, transposeB: false }, // n > m: two threads split the columns
  { batch: 1, m: 36, k: 300, n: 96, transposeA: false, transposeB: false, ldb: 200 }, // columns of a wider weight (a chunk)
  { batch: 1, m: 2304, k: 600, n: 64, transposeA: false, transposeB: false, bias: true }, // a layer with its bias, rows split, K blocks
  { batch: 1, m: 64, k: 300, n: 1024, transposeA: false, transposeB: false, bias: true }, // columns split: each thread its half of the bias
  { batch: 1, m: 36, k: 300, n: 96, transposeA: false, transposeB: false, ldb: 200, bias: true },
  { batch: 2, m: 12, k: 7, n: 16, transposeA: false, transposeB: false }, // row-major A: 4 k rearranged, then 3 k one at a time
  { batch: 1, m: 1, k: 600, n: 1024, transposeA: false, transposeB: true, bias: true }, // one vector (adaLN at batch 1): a 1-row tile, columns split
  { batch: 1, m: 2, k: 300, n: 96, transposeA: false, transposeB: false, ldb: 200, bias: true }, // two rows of a chunked layer
  { batch: 1, m: 3, k: 33, n: 16, transposeA: true, transposeB: false }, // a transposed A; a last column panel of 4
  { batch: 1, m: 5, k: 37, n: 20, transposeA: false, transposeB: true, bias: true }, // edge tiles: 2 rows, 8 columns; Bᵀ 4 k at a time then 1
  { batch: 3, m: 10, k: 9, n: 28, transposeA: true, transposeB: false }, // batched, 1-row edge tiles, a last panel of 4 columns
  { batch: 1, m: 64, k: 288, n: 1028, transposeA: false, transposeB: false, bias: true }, // K in one block; columns split in whole panels, edge panel
  { batch: 1, m: 100, k: 650, n: 40, transposeA: false, transposeB: true }, // rows split (not a multiple of 3); K in three even blocks
  { batch: 1, m: 61, k: 20, n: 8, transposeA: false, transposeB: false, ldb: 12 }, // a last row block of 1 row; one 8-column panel
];

function check(gemm: WasmGemm, memory: WebAssembly.Memory, { batch, m, k, n, transposeA, transposeB, ldb = n, bias = false }: Case, at: number): void {
  const heap = new Float32Array(memory.buffer);
  const a = at;
  const b = a + 4 * batch * m * k;
  const c = b + 4 * batch * k * ldb;
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < batch * m * k; i++) heap[a / 4 + i] = random();
  for (let i = 0; i < batch * k * ldb; i++) heap[b / 4 + i] = random();
  const biasAt = c + 4 * batch * m * n;
  for (let j = 0; j < n; j++) heap[biasAt / 4 + j] = bias ? random() * 4 : 0;
  heap.fill(Number.NaN, c / 4, c / 4 + batch * m * n); // every output must be written
  gemm.run({ a, b, c, batch, m, k, n, transposeA, transposeB, ldb, bias: bias ? biasAt : 0 });
  for (let p = 0; p < batch; p++) {
    const A = (i: number, j: number): number => heap[a / 4 + p * m * k + (transposeA ? j * m + i : i * k + j)];
    const B = (i: number, j: number): number => heap[b / 4 + p * k * n + (transposeB ? j * k + i : i * ldb + j)];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let exact = heap[biasAt / 4 + j];
        let magnitude = Math.abs(exact);
        for (let q = 0; q < k; q++) {
          exact += A(i, q) * B(q, j);
          magnitude += Math.abs(A(i, q) * B(q, j));
        }
        const got = heap[c / 4 + p * m * n + i * n + j];
        if (!(Math.abs(got - exact) <= (k + 1) * 2 ** -23 * magnitude)) {
          throw new Error(`C[${p}][${i}][${j}] = ${got}, float64 ${exact} (case ${JSON.stringify({ batch, m, k, n, transposeA, transposeB })})`);
        }
      }
    }
  }
}

describe('gemm.wat', () => {
  enableRelaxedSimd();
  const variants: Array<'fma' | 'plain'> = hasRelaxedSimd() ? ['fma', 'plain'] : ['plain'];

  for (const variant of variants) {
    for (const threads of [1, 2]) {
      it(`${variant}, ${threads} thread${threads > 1 ? 's' : ''}: every shape and transposition matches a float64 product`, async () => {
        const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared: true });
        const scratchAt = 16;
        const dataAt = 8 << 20; // scratch below 8 MiB, operands above
        const gemm = new WasmGemm(
          memory,
          (bytes) => {
            expect(bytes).toBeLessThan(dataAt - scratchAt);
            return scratchAt;
          },
          threads > 1 ? (Worker as unknown as WorkerConstructor) : undefined,
          variant,
        );
        expect(gemm.variant).toBe(variant);
        for (let waited = 0; threads > 1 && !gemm.helperReady && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
        expect(gemm.helperReady).toBe(threads > 1);
        for (let repeat = 0; repeat < (threads > 1 ? 20 : 1); repeat++) check(gemm, memory, cases[4], dataAt); // many hand-offs
        for (const shape of cases) check(gemm, memory, shape, dataAt);
      });
    }
  }

  it('on an unshared memory (the single-threaded tfjs build) too', () => {
    const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536 });
    const gemm = new WasmGemm(memory, () => 16);
    check(gemm, memory, cases[1], 4 << 20);
  });

  it('takes any M and K, and N % 4 = 0', () => {
    expect(WasmGemm.fits(72, 64, 72)).toBe(true);
    expect(WasmGemm.fits(71, 63, 4)).toBe(true);
    expect(WasmGemm.fits(72, 64, 62)).toBe(false);
    expect(WasmGemm.fits(0, 64, 72)).toBe(false);
  });

  it('gives the same bits on one thread and on two (how the work is cut never changes a result)', async () => {
    const run = async (threads: number, shape: Case): Promise<Float32Array> => {
      const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared: true });
      const gemm = new WasmGemm(memory, () => 16, threads > 1 ? (Worker as unknown as WorkerConstructor) : undefined);
      for (let waited = 0; threads > 1 && !gemm.helperReady && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      const at = 8 << 20;
      check(gemm, memory, shape, at);
      const { batch, m, k, n, ldb = n } = shape;
      const c = at + 4 * batch * m * k + 4 * batch * k * ldb;
      return new Float32Array(memory.buffer, c, batch * m * n).slice();
    };
    for (const shape of [cases[0], cases[6], cases[12], cases[18], cases[19]]) {
      expect(await run(2, shape)).toEqual(await run(1, shape));
    }
  });
});
