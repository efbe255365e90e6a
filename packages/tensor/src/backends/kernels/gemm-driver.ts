import { isNode, nodeBuiltin } from '../environment.js';
import { gemmFmaShared, gemmFmaUnshared, gemmPlainShared, gemmPlainUnshared } from './gemm-wasm.js';

// Drives gemm.wat over tfjs-backend-wasm's heap: C[b] = op(A[b]) · op(B[b]) for b < batch, where op
// transposes an operand stored transposed. K is cut into blocks of at most KC (as even as possible) and
// M into MC-row blocks, so that one packed B panel (kc × 12) stays in L1 and the packed A block
// (MC × kc) in L2. With a helper thread (Node, shared memory), the batches, or else the columns of N
// (when B is the larger operand, so that each thread packs only its half of it: a batch-1 layer's
// weight), or else the rows of M, are split in two: the helper runs one half in a worker on the same
// memory while the calling thread runs the other, each packing into its own scratch. How the work is
// cut never changes a result: each output is the same chain of fused multiply-adds over k in order.

/** Deepest K block; K is cut into ⌈K / KC⌉ blocks of (nearly) equal depth (K = 288: one block, not 256 + 32). */
const KC = 320;
/**
 * The two register tiles (rows MR × columns NR) and their row blocks MC (a multiple of MR). 3×12 is
 * the faster kernel; 4×8 is kept for products whose N is a multiple of 8 but not of 12 and small
 * (attention's head width 64: 3×12 would pad 64 columns to 72), see `tileFor`.
 */
const TILES = [
  { mr: 3, nr: 12, mc: 60 },
  { mr: 4, nr: 8, mc: 64 },
] as const;
type Tile = 0 | 1;

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

type PackA = (a: number, ars: number, acs: number, i0: number, mc: number, k0: number, kc: number, dst: number) => void;
type PackB = (b: number, brs: number, bcs: number, k0: number, kc: number, n: number, dst: number) => void;
type Block = (pa: number, pb: number, c: number, ldc: number, mc: number, n: number, kc: number, accumulate: number, bias: number) => void;
interface GemmExports {
  pack_a3: PackA;
  pack_b12: PackB;
  block3x12: Block;
  pack_a4: PackA;
  pack_b8: PackB;
  block4x8: Block;
}

// Task words (Uint32): a, b, c, ars, acs, brs, bcs, aStride, bStride, cStride, batch0, batch1, i0, i1, K, N, pa, pb, KC, MC, j0, j1, bias, tile.
const TASK_WORDS = 24;

/**
 * Runs one task. Also the helper worker's code (through its source text), so it refers to nothing
 * outside itself and declares no named inner functions.
 */
function runTask(kernel: GemmExports, t: ArrayLike<number>): void {
  const [a, b, c, ars, acs, brs, bcs, aStride, bStride, cStride, batch0, batch1, i0, i1, K, N, pa, pb, kcMax, mcMax, j0, j1, bias, tile] = Array.from(t);
  const [packA, packB, block] = tile === 0 ? [kernel.pack_a3, kernel.pack_b12, kernel.block3x12] : [kernel.pack_a4, kernel.pack_b8, kernel.block4x8];
  for (let bi = batch0; bi < batch1; bi++) {
    const ab = a + bi * aStride;
    const bb = b + bi * bStride + 4 * j0 * bcs; // columns j0 .. j1 of B and C
    const cb = c + bi * cStride + 4 * j0;
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = Math.min(kcMax, K - pc);
      packB(bb, brs, bcs, pc, kc, j1 - j0, pb);
      for (let ic = i0; ic < i1; ic += mcMax) {
        const mc = Math.min(mcMax, i1 - ic);
        packA(ab, ars, acs, ic, mc, pc, kc, pa);
        // The bias (if any) with the last K block only, columns j0 .. j1 of it.
        block(pa, pb, cb + 4 * ic * N, N, mc, j1 - j0, kc, pc > 0 ? 1 : 0, bias && pc + kc >= K ? bias + 4 * j0 : 0);
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
   * Whether `run` takes these shapes: N % 4 == 0 (any M and K; the edge tiles of M and N are
   * computed in full from zero-padded panels and written only where C has them).
   */
  static fits(m: number, k: number, n: number): boolean {
    return n % 4 === 0 && m > 0 && n > 0 && k > 0;
  }

  run(call: GemmCall): void {
    const { batch, m, k, n } = call;
    const tile = tileFor(m, n);
    // Until the helper has started (or if it never does), the calling thread does all the work.
    const split = this.helperReady ? this.split(batch, m, k, n, tile) : undefined;
    this.runAt(call, tile, split, this.scratch(packBytes(n, tile, split !== undefined)));
  }

  private runAt(
    { a, b, c, batch, m, k, n, transposeA, transposeB, ldb, bias = 0 }: GemmCall,
    tile: Tile,
    split: { own: Part; helper: Part } | undefined,
    base: number,
  ): void {
    const [ars, acs] = transposeA ? [1, m] : [k, 1];
    const [brs, bcs] = transposeB ? [1, k] : [ldb ?? n, 1];
    const kc = blockDepth(k);
    const { mc } = TILES[tile];
    const { packA, perThread } = scratchLayout(n, tile);
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
      kc,
      mc,
      j0,
      j1,
      bias,
      tile,
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
  private split(batch: number, m: number, k: number, n: number, tile: Tile): { own: Part; helper: Part } | undefined {
    const { mr, nr } = TILES[tile];
    if (batch * m * k * n < 1 << 21) return undefined;
    if (batch >= 2) {
      const half = batch >> 1;
      return { own: [0, half, 0, m, 0, n], helper: [half, batch, 0, m, 0, n] };
    }
    if (n > m && n >= 2 * nr) {
      // B (k × n) is the larger operand: each thread packs only its half of it, whole panels each.
      const half = Math.round(n / (2 * nr)) * nr;
      return { own: [0, 1, 0, m, 0, half], helper: [0, 1, 0, m, half, n] };
    }
    if (m < 32) return undefined;
    const half = Math.round(m / (2 * mr)) * mr;
    return { own: [0, 1, 0, half, 0, n], helper: [0, 1, half, m, 0, n] };
  }
}

/**
 * The tile for an M × N product: 3×12, unless N and M fit 4×8 exactly and 3×12 would compute more
 * than 4 % more outputs than there are (its padded last row and column panels): N = 64 pads to 72.
 */
export function tileFor(m: number, n: number): Tile {
  if (m % 4 !== 0 || n % 8 !== 0) return 0;
  return roundUp(m, 3) * roundUp(n, 12) > 1.04 * m * n ? 1 : 0;
}

/** The K block depth: K cut into ⌈K / KC⌉ blocks as even as possible. */
function blockDepth(k: number): number {
  return Math.ceil(k / Math.ceil(k / KC));
}

/**
 * Scratch bytes for packing: per thread, one packed A block and one packed B block (n in whole
 * panels), both laid out for the deepest block KC whatever this product's kc (with offsets that
 * followed kc, the small batched products of attention ran ~10 % slower: where the panels land in
 * the caches matters).
 */
function packBytes(n: number, tile: Tile, split: boolean): number {
  return (split ? 2 : 1) * scratchLayout(n, tile).perThread;
}

/** One thread's scratch: the packed A block first (packA bytes), then the packed B block; perThread bytes in all. */
function scratchLayout(n: number, tile: Tile): { packA: number; perThread: number } {
  const { mc, nr } = TILES[tile];
  const packA = mc * KC * 4;
  return { packA, perThread: packA + KC * roundUp(n, nr) * 4 };
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}
