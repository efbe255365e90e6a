import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulShared, batchMatMulUnshared } from './kernels/batch-matmul-wasm.js';
import { WasmGemm } from './kernels/gemm-driver.js';
import { rmsNormKernels } from './kernels/rms-norm-kernel.js';
import { broadcastPlan, instantiateBroadcast, type BroadcastKernel, type BroadcastOp } from './kernels/broadcast-binary-kernel.js';
import { isNode, nodeBuiltin } from './environment.js';

// Replacements for tfjs-backend-wasm kernels whose implementation costs a training step far more
// than the work they do (or, for K = 1 products, crashes). They compute the same values (Sum and BatchMatMul to float32 rounding
// order).

interface WasmBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory }; tfjs?: { getThreadsCount?(): number } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

type Marked = tf.KernelConfig & { pixelrepa?: true };

/** Installs the replacements once (idempotent); call after tfjs-backend-wasm has registered its kernels. */
export function installWasmKernels(): void {
  // Fused kernels of our own ops (ops/rms-norm.ts), registered under names of their own.
  for (const kernel of rmsNormKernels) if (!tf.getKernel(kernel.kernelName, 'wasm')) tf.registerKernel(kernel);
  replace(tf.Identity, (copying) => (args) => {
    // The engine clones (Identity) every tensor it keeps for the backward pass; the wasm kernel
    // copies, here the data is shared under a reference count as on the cpu backend (tfjs data
    // is immutable: the wasm Reshape kernel shares it too, variables swap data on assign).
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return copying(args);
    (args.backend as unknown as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
  replace(tf.Sum, (native) => (args) => {
    // A sum over leading axes (bias and broadcast gradients: [M, N] → [N]) makes the wasm kernel
    // transpose its input first (~4 ms for 2304×512). ones[4, R] @ x[R, rest] on our SIMD kernel
    // reads x once in order (~0.5 ms) and row 0 is the sum. Other reductions keep the native kernel.
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = axes.every((value, i) => value === i);
    const backend = args.backend as unknown as WasmBackend;
    const kernel = simdBatchMatMul(backend);
    if (!kernel || x.dtype !== 'float32' || !leading || axes.length === 0 || axes.length === x.shape.length) return native(args);
    const reduce = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const restShape = x.shape.slice(axes.length);
    const rest = tf.util.sizeFromShape(restShape);
    if (reduce < 2 || rest % 8 !== 0) return native(args);
    const rows = backend.makeOutput([4, rest], 'float32');
    kernel(offsetOf(backend, ones(backend, reduce)), offsetOf(backend, x), offsetOf(backend, rows), 1, 4, reduce, rest);
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...restShape] : restShape, 'float32');
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap({ ...rows, shape: [rest] }));
    backend.disposeData(rows.dataId);
    return out;
  });
  // Broadcasting float32 Add, Sub, Multiply, RealDiv (biases, adaLN's modulate and gate, RoPE's
  // tables, per-row factors): tfjs-backend-wasm walks a broadcast element by element with index
  // arithmetic; broadcast-binary.wat runs it in SIMD rows. Same operation per element, same bits.
  for (const [name, op] of [[tf.Add, 'add'], [tf.Sub, 'sub'], [tf.Multiply, 'mul'], [tf.RealDiv, 'div']] as const) {
    replace(name, (native) => (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const backend = args.backend as unknown as WasmBackend;
      if (!broadcastRouting || a.dtype !== 'float32' || b.dtype !== 'float32' || tf.util.arraysEqual(a.shape, b.shape)) return native(args);
      const plan = broadcastPlan(a.shape, b.shape);
      const kernels = plan && plan.P * plan.Q * plan.R >= 1024 ? broadcastKernels(backend) : null;
      if (!plan || !kernels) return native(args);
      const [full, small] = plan.full === 'a' ? [a, b] : [b, a];
      const out = backend.makeOutput(plan.outShape, 'float32');
      kernels[op](offsetOf(backend, full), offsetOf(backend, small), offsetOf(backend, out), plan.P, plan.Q, plan.R, plan.sP, plan.sQ, plan.sR, plan.full === 'a' ? 0 : 1);
      return out;
    });
  }
  replace(tf.BatchMatMul, (native) => (args) => {
    // Every float32 product whose shapes fit (M % 4 = 0, N % 8 = 0, same batch dimensions) runs on
    // our packed GEMM (kernels/gemm.wat, fused multiply-add where the engine has relaxed SIMD, both
    // threads in Node), transposed operands read in place. Others go to tfjs's kernel, with
    // transposes made explicit first (its transposed path is a scalar loop, ~1 GFLOP/s).
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as unknown as WasmBackend;
    const batchDims = a.shape.slice(0, -2);
    const batch = tf.util.sizeFromShape(batchDims);
    const M = a.shape[a.shape.length - (transposeA ? 1 : 2)];
    const K = a.shape[a.shape.length - (transposeA ? 2 : 1)];
    const N = b.shape[b.shape.length - (transposeB ? 2 : 1)];
    const float = a.dtype === 'float32' && b.dtype === 'float32';
    if (K === 1 && float) {
      // An outer product (a layer's weight gradient at batch 1) crashes the multi-threaded
      // XNNPACK path ("memory access out of bounds"). With K = 1 a transposed operand has the
      // same memory layout, and every output is one product: a broadcasting multiply.
      const column = { dataId: a.dataId, shape: [...batchDims, M, 1], dtype: a.dtype };
      const row = { dataId: b.dataId, shape: [...b.shape.slice(0, -2), 1, N], dtype: b.dtype };
      return multiply({ inputs: { a: column, b: row }, backend: args.backend, attrs: {} });
    }
    const sameBatch = a.shape.length === b.shape.length && tf.util.arraysEqual(batchDims, b.shape.slice(0, -2));
    const gemm = gemmRouting && float && sameBatch && WasmGemm.fits(M, K, N) ? wasmGemm(backend) : null;
    if (gemm) {
      const out = backend.makeOutput([...batchDims, M, N], 'float32');
      gemm.run({ a: offsetOf(backend, a), b: offsetOf(backend, b), c: offsetOf(backend, out), batch, m: M, k: K, n: N, transposeA, transposeB });
      return out;
    }
    if (!transposeA && !transposeB) return native(args);
    const transposed = (x: tf.TensorInfo, yes: boolean): tf.TensorInfo => {
      if (!yes) return x;
      const rank = x.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      return transpose({ inputs: { x }, backend: args.backend, attrs: { perm } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
    };
    const left = transposed(a, transposeA);
    const right = transposed(b, transposeB);
    const out = native({ ...args, inputs: { a: left, b: right }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
    if (left !== a) backend.disposeData(left.dataId);
    if (right !== b) backend.disposeData(right.dataId);
    return out;
  });
}

let broadcastRouting = true;
/** Development switch (A/B runs): false sends broadcasting elementwise kernels back to tfjs's own. */
export function setWasmBroadcastKernels(enabled: boolean): void {
  broadcastRouting = enabled;
}

/** broadcast-binary.wat on the backend's memory (once per memory); null where WASM SIMD is unavailable. */
const broadcasts = new WeakMap<WebAssembly.Memory, Record<BroadcastOp, BroadcastKernel> | null>();
function broadcastKernels(backend: WasmBackend): Record<BroadcastOp, BroadcastKernel> | null {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) return null;
  let kernels = broadcasts.get(memory);
  if (kernels === undefined) {
    try {
      kernels = instantiateBroadcast(memory);
    } catch {
      kernels = null;
    }
    broadcasts.set(memory, kernels);
  }
  return kernels;
}

let gemmRouting = true;
/** Development switch (benchmarks): false sends every product back to tfjs's kernels. */
export function setWasmGemmRouting(enabled: boolean): void {
  gemmRouting = enabled;
}

/** Our GEMM on the backend's memory (once per memory); null where WASM SIMD or the memory is unavailable. */
const gemms = new WeakMap<WebAssembly.Memory, WasmGemm | null>();
function wasmGemm(backend: WasmBackend): WasmGemm | null {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) return null;
  let gemm = gemms.get(memory);
  if (gemm === undefined) {
    try {
      const threads = backend.wasm.tfjs?.getThreadsCount?.() ?? 1;
      const Worker = threads > 1 && isNode() ? nodeBuiltin('node:worker_threads').Worker : undefined;
      gemm = new WasmGemm(memory, (bytes) => scratch(backend, bytes), Worker as ConstructorParameters<typeof WasmGemm>[2]);
    } catch {
      gemm = null; // no WASM SIMD in this engine: tfjs's kernels stay in use
    }
    gemms.set(memory, gemm);
  }
  return gemm;
}

/** A heap block of at least `bytes` for packing, kept (and grown) for the backend's lifetime. */
const scratchBlocks = new WeakMap<object, tf.TensorInfo>();
function scratch(backend: WasmBackend, bytes: number): number {
  let block = scratchBlocks.get(backend);
  if (!block || tf.util.sizeFromShape(block.shape) * 4 < bytes) {
    if (block) backend.disposeData(block.dataId);
    block = backend.makeOutput([Math.ceil(bytes / 4) + 4], 'float32');
    scratchBlocks.set(backend, block);
  }
  return Math.ceil(offsetOf(backend, block) / 16) * 16;
}

/** Where a tensor's data starts in the WASM heap (bytes). */
function offsetOf(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

type BatchMatMulKernel = (a: number, b: number, c: number, batch: number, m: number, k: number, n: number) => void;

/** Our SIMD kernel instantiated on the backend's memory (once per memory); null where WASM SIMD or the memory is unavailable. */
const kernels = new WeakMap<WebAssembly.Memory, BatchMatMulKernel | null>();
function simdBatchMatMul(backend: WasmBackend): BatchMatMulKernel | null {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) return null;
  let kernel = kernels.get(memory);
  if (kernel === undefined) {
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = Uint8Array.from(atob(shared ? batchMatMulShared : batchMatMulUnshared), (c) => c.charCodeAt(0));
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      kernel = instance.exports.bmm as BatchMatMulKernel;
    } catch {
      kernel = null; // no WASM SIMD in this engine: tfjs's own kernel stays in use
    }
    kernels.set(memory, kernel);
  }
  return kernel;
}

let transpose: tf.KernelFunc;
let multiply: tf.KernelFunc;

/** ones [4, n], kept for the backend's lifetime. */
const onesCache = new WeakMap<object, Map<number, tf.TensorInfo>>();
function ones(backend: WasmBackend, n: number): tf.TensorInfo {
  let byLength = onesCache.get(backend);
  if (!byLength) onesCache.set(backend, (byLength = new Map()));
  let block = byLength.get(n);
  if (!block) {
    block = backend.makeOutput([4, n], 'float32');
    backend.typedArrayFromHeap(block).fill(1);
    byLength.set(n, block);
  }
  return block;
}

function replace(name: string, make: (native: tf.KernelFunc) => tf.KernelFunc): void {
  const kernel = tf.getKernel(name, 'wasm') as Marked | undefined;
  if (!kernel || kernel.pixelrepa) return;
  transpose ??= tf.getKernel(tf.Transpose, 'wasm')!.kernelFunc;
  multiply ??= tf.getKernel(tf.Multiply, 'wasm')!.kernelFunc;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...kernel, kernelFunc: make(kernel.kernelFunc), pixelrepa: true } as Marked);
}
