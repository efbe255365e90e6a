import { isNode, nodeBuiltin } from '../environment.js';
import { gemmFmaShared, gemmFmaUnshared, gemmPlainShared, gemmPlainUnshared } from './gemm-wasm.js';

// Drives gemm.wat over tfjs-backend-wasm's heap: C[b] = op(A[b]) · op(B[b]) for b < batch, where op
// transposes an operand stored transposed. K is cut into KC-deep blocks and M into MC-row blocks so
// that one packed B panel (KC × 8) stays in L1 and the packed A block (MC × KC) in L2. With a helper
// thread (Node, shared memory), the batches, or else the columns of N (when B is the larger operand,
// so that each thread packs only its half of it: a batch-1 layer's weight), or else the rows of M,
// are split in two: the helper runs one half in a worker on the same memory while the calling
// thread runs the other, each packing into its own scratch.

const KC = 256;
const MC = 64;

/** One product; offsets in bytes into the WASM heap. */
export interface GemmCall {
  a: number;
  b: number;
  c: number;
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Row stride of B in floats when B is not transposed and its rows are longer than n (columns of a wider matrix); default n. */
  ldb?: number;
  /** Where a bias [n] to add to every row of C starts (bytes; 0 or absent: none). */
  bias?: number;
}

interface GemmExports {
  pack_a(a: number, ars: number, acs: number, i0: number, mc: number, k0: number, kc: number, dst: number): void;
  pack_b(b: number, brs: number, bcs: number, k0: number, kc: number, n: number, dst: number): void;
  block(pa: number, pb: number, c: number, ldc: number, mc: number, n: number, kc: number, accumulate: number, bias: number): void;
}

// Task words (Uint32): a, b, c, ars, acs, brs, bcs, aStride, bStride, cStride, batch0, batch1, i0, i1, K, N, pa, pb, KC, MC, j0, j1, bias.
const TASK_WORDS = 23;

/**
 * Runs one task. Also the helper worker's code (through its source text), so it refers to nothing
 * outside itself and declares no named inner functions.
 */
function runTask(kernel: GemmExports, t: ArrayLike<number>): void {
  const [a, b, c, ars, acs, brs, bcs, aStride, bStride, cStride, batch0, batch1, i0, i1, K, N, pa, pb, kcMax, mcMax, j0, j1, bias] = Array.from(t);
  for (let bi = batch0; bi < batch1; bi++) {
    const ab = a + bi * aStride;
    const bb = b + bi * bStride + 4 * j0 * bcs; // columns j0 .. j1 of B and C
    const cb = c + bi * cStride + 4 * j0;
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = Math.min(kcMax, K - pc);
      kernel.pack_b(bb, brs, bcs, pc, kc, j1 - j0, pb);
      for (let ic = i0; ic < i1; ic += mcMax) {
        const mc = Math.min(mcMax, i1 - ic);
        kernel.pack_a(ab, ars, acs, ic, mc, pc, kc, pa);
        // The bias (if any) with the last K block only, columns j0 .. j1 of it.
        kernel.block(pa, pb, cb + 4 * ic * N, N, mc, j1 - j0, kc, pc > 0 ? 1 : 0, bias && pc + kc >= K ? bias + 4 * j0 : 0);
      }
    }
  }
}

/** The helper worker: instantiates the module on the shared memory, then runs a task per signal. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const runTask = ${runTask.toString()};
const { module, memory, control } = workerData;
const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;
const flags = new Int32Array(control, 0, 3);
const task = new Uint32Array(control, 12, ${TASK_WORDS});
let seen = 0;
Atomics.store(flags, 2, 1);
for (;;) {
  Atomics.wait(flags, 0, seen);
  seen = Atomics.load(flags, 0);
  try { runTask(kernel, task); } finally { Atomics.store(flags, 1, seen); Atomics.notify(flags, 1); }
}
`;

/** Whether this engine validates relaxed SIMD (Node 20: after --experimental-wasm-relaxed-simd). */
export function hasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(decode(gemmFmaUnshared));
  } catch {
    return false;
  }
}

/**
 * Node 20 compiles relaxed SIMD only behind a V8 flag, which may be set at run time before the
 * module compiles; Node ≥ 22 and current browsers have it on. Elsewhere this does nothing.
 */
export function enableRelaxedSimd(): void {
  if (!isNode() || hasRelaxedSimd()) return;
  try {
    nodeBuiltin('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // No v8 module (another runtime): the plain-SIMD kernel is used.
  }
}

/** One thread's share: batches batch0 .. batch1, rows i0 .. i1, columns j0 .. j1. */
type Part = [batch0: number, batch1: number, i0: number, i1: number, j0: number, j1: number];

export type ScratchAllocator = (bytes: number) => number;
export type WorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => { unref(): void };

export class WasmGemm {
  /** 'fma' where the engine has relaxed SIMD, else 'plain' (mul then add). */
  readonly variant: 'fma' | 'plain';
  private readonly kernel: GemmExports;
  private helper?: { flags: Int32Array; task: Uint32Array; seq: number };

  /**
   * @param memory the backend's heap
   * @param scratch returns a heap offset with at least `bytes` free bytes for packing, kept until the next call
   * @param Worker Node's worker_threads Worker to run a helper thread on shared memory, or undefined for one thread
   * @param variant force one kernel (tests); by default 'fma' where the engine validates it
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly scratch: ScratchAllocator,
    Worker?: WorkerConstructor,
    variant?: 'fma' | 'plain',
  ) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    this.variant = variant ?? (hasRelaxedSimd() ? 'fma' : 'plain');
    const source = this.variant === 'fma' ? (shared ? gemmFmaShared : gemmFmaUnshared) : shared ? gemmPlainShared : gemmPlainUnshared;
    const module = new WebAssembly.Module(decode(source));
    this.kernel = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
    if (Worker && shared) {
      // flags: [0] task sequence number, [1] last finished task, [2] 1 once the helper is ready.
      const control = new SharedArrayBuffer(12 + 4 * TASK_WORDS);
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control } });
      worker.unref();
      this.helper = { flags: new Int32Array(control, 0, 3), task: new Uint32Array(control, 12, TASK_WORDS), seq: 0 };
    }
  }

  /** Whether a helper thread has started and takes half of large products. */
  get helperReady(): boolean {
    return this.helper !== undefined && Atomics.load(this.helper.flags, 2) === 1;
  }

  /**
   * Whether `run` takes these shapes: N % 8 == 0, and M % 4 == 0 or a single product (whose rows
   * are padded to a multiple of 4: a layer applied to one vector, adaLN's modulation at batch 1).
   */
  static fits(m: number, k: number, n: number, batch = 1): boolean {
    return (m % 4 === 0 || batch === 1) && n % 8 === 0 && m > 0 && n > 0 && k > 0;
  }

  run(call: GemmCall): void {
    const { batch, m, k, n } = call;
    if (m % 4 !== 0) {
      this.runPadded(call);
      return;
    }
    // Until the helper has started (or if it never does), the calling thread does all the work.
    const split = this.helperReady ? this.split(batch, m, k, n) : undefined;
    this.runAt(call, split, this.scratch(packBytes(n, split !== undefined)));
  }

  /**
   * A single product with M % 4 ≠ 0: A's rows are copied into a zero-padded [M₄, K] block, the
   * product runs on M₄ rows into a padded C, and C's first M rows are copied out. Rows do not mix,
   * so each real row is what an unpadded kernel would give.
   */
  private runPadded(call: GemmCall): void {
    const { a, c, batch, m, k, n, transposeA } = call;
    if (batch !== 1) throw new Error(`WasmGemm: batched products need M % 4 == 0 (M = ${m})`);
    const m4 = (m + 3) & ~3;
    const split = this.helperReady ? this.split(1, m4, k, n) : undefined;
    const [padA, padC] = [4 * m4 * k, 4 * m4 * n];
    const base = this.scratch(padA + padC + packBytes(n, split !== undefined));
    const heap = new Float32Array(this.memory.buffer);
    const [at, ct] = [base / 4, (base + padA) / 4];
    if (transposeA) {
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) heap[at + i * k + j] = heap[a / 4 + j * m + i];
    } else {
      heap.copyWithin(at, a / 4, a / 4 + m * k);
    }
    heap.fill(0, at + m * k, at + m4 * k);
    this.runAt({ ...call, a: base, c: base + padA, m: m4, transposeA: false }, split, base + padA + padC);
    heap.copyWithin(c / 4, ct, ct + m * n);
  }

  private runAt(
    { a, b, c, batch, m, k, n, transposeA, transposeB, ldb, bias = 0 }: GemmCall,
    split: { own: Part; helper: Part } | undefined,
    base: number,
  ): void {
    const [ars, acs] = transposeA ? [1, m] : [k, 1];
    const [brs, bcs] = transposeB ? [1, k] : [ldb ?? n, 1];
    const packA = MC * KC * 4;
    const perThread = packA + KC * n * 4;
    const words = ([batch0, batch1, i0, i1, j0, j1]: Part, at: number): number[] => [
      a,
      b,
      c,
      ars,
      acs,
      brs,
      bcs,
      4 * m * k,
      4 * k * (transposeB ? n : (ldb ?? n)),
      4 * m * n,
      batch0,
      batch1,
      i0,
      i1,
      k,
      n,
      at,
      at + packA,
      KC,
      MC,
      j0,
      j1,
      bias,
    ];
    if (!split) {
      runTask(this.kernel, words([0, batch, 0, m, 0, n], base));
      return;
    }
    const helper = this.helper!;
    helper.task.set(words(split.helper, base + perThread));
    helper.seq = (helper.seq + 1) | 0;
    Atomics.store(helper.flags, 0, helper.seq);
    Atomics.notify(helper.flags, 0);
    try {
      runTask(this.kernel, words(split.own, base));
    } finally {
      // Wait on the value just read: reading it twice could miss the helper's one notify.
      for (let done = Atomics.load(helper.flags, 1); done !== helper.seq; done = Atomics.load(helper.flags, 1)) {
        Atomics.wait(helper.flags, 1, done);
      }
    }
  }

  /** Halves of the work, or undefined when too small to share. */
  private split(batch: number, m: number, k: number, n: number): { own: Part; helper: Part } | undefined {
    if (batch * m * k * n < 1 << 21) return undefined;
    if (batch >= 2) {
      const half = batch >> 1;
      return { own: [0, half, 0, m, 0, n], helper: [half, batch, 0, m, 0, n] };
    }
    if (n > m && n >= 16) {
      // B (k × n) is the larger operand: each thread packs only its half of it.
      const half = (n >> 4) << 3;
      return { own: [0, 1, 0, m, 0, half], helper: [0, 1, 0, m, half, n] };
    }
    if (m < 32) return undefined;
    const half = (m >> 3) << 2;
    return { own: [0, 1, 0, half, 0, n], helper: [0, 1, half, m, 0, n] };
  }
}

/** Scratch bytes for packing: one packed A block and one packed B block (KC × n) per thread. */
function packBytes(n: number, split: boolean): number {
  return (split ? 2 : 1) * (MC * KC * 4 + KC * n * 4);
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}
