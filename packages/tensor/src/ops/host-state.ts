import * as tf from '@tensorflow/tfjs-core';
import { adamwUnshared } from '../backends/kernels/adamw-wasm.js';
import { emaUnshared } from '../backends/kernels/ema-wasm.js';
import type { AdamWScalars } from './in-place-updates.js';

// Optimiser moments and EMAs kept "on the host" (off the backend, e.g. off tfjs-backend-wasm's
// 4 GiB heap) in a state arena: a WebAssembly.Memory of its own, sized once up front (never grown,
// so the Float32Array views handed out stay valid), holding the state blocks and a staging area
// for one parameter and its gradient. kernels/adamw.wat and kernels/ema.wat, instantiated against
// that memory, do the arithmetic: the same float32 operations in the same order as the tf-op and
// JS-loop updates, so the same bits. A parameter and its gradient come in by one copy each (on
// wasm straight from a view of the backend's heap, elsewhere through dataSync); the new parameter
// goes back by one copy into a new backend buffer, which the variable is assigned.

/** Bytes one arena can address: WASM's 32-bit memory, 65536 pages of 64 KiB. */
export const HOST_STATE_ARENA_MAX_BYTES = 65536 * 65536;

const PAGE = 65536;
const ALIGN = 4; // floats: 16 bytes, one SIMD lane group

interface ArenaKernels {
  adamw(p: number, g: number, m: number, v: number, out: number, n: number, ...scalars: number[]): void;
  ema(p: number, e1: number, e2: number, n: number, count: number, keep1: number, take1: number, keep2: number, take2: number): void;
}

let simd: boolean | undefined;
/** The two kernels, compiled once (each arena instantiates them against its memory). */
let modules: WebAssembly.Module[] | undefined;
/** Whether this runtime runs the arena's WASM SIMD kernels (else callers keep their JS loops). */
export function hostStateArenaSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = WebAssembly.validate(decode(adamwUnshared)) && WebAssembly.validate(decode(emaUnshared));
    } catch {
      simd = false;
    }
  }
  return simd;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

const roundUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** The bytes an arena with these blocks and this staging size takes (what `create` checks). */
export function hostStateArenaBytes(blocks: number[], stagingFloats: number): number {
  const floats = blocks.reduce((sum, n) => sum + roundUp(n), 0) + 2 * roundUp(stagingFloats);
  return Math.ceil((4 * floats) / PAGE) * PAGE;
}

/** The wasm backend's heap and its tensor records, where the backend is tfjs-backend-wasm. */
interface WasmHeapBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function wasmHeap(): { backend: WasmHeapBackend; memory: WebAssembly.Memory } | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as WasmHeapBackend;
  const memory = backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
  return memory ? { backend, memory } : undefined;
}

/**
 * Float32 state blocks in a WebAssembly.Memory of their own with in-place AdamW and EMA passes over
 * them. `blocks` are the sizes (floats) of the views in `views`, each 16-byte aligned;
 * `stagingFloats` is the largest parameter that will be passed in.
 */
export class HostStateArena {
  /** One Float32Array per requested block, in order; valid for the arena's life. */
  readonly views: Float32Array[];
  readonly bytes: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: ArenaKernels;
  private readonly stagingFloats: number;
  /** Byte offsets of the staging areas: the parameter (updated in place) and the gradient. */
  private readonly pIn: number;
  private readonly gIn: number;

  private constructor(blocks: number[], stagingFloats: number) {
    this.bytes = hostStateArenaBytes(blocks, stagingFloats);
    if (blocks.some((n) => !Number.isInteger(n) || n < 0) || !Number.isInteger(stagingFloats) || stagingFloats < 0) {
      throw new RangeError(`a host state arena needs whole, non-negative sizes (blocks ${blocks.join(', ')}, staging ${stagingFloats})`);
    }
    if (this.bytes > HOST_STATE_ARENA_MAX_BYTES) {
      throw new RangeError(`host state of ${(this.bytes / 2 ** 30).toFixed(2)} GiB does not fit one WASM memory (4 GiB at most): split it into several arenas`);
    }
    const pages = Math.max(1, this.bytes / PAGE);
    try {
      // `maximum` as the kernels' import declares it; the memory is never grown.
      this.memory = new WebAssembly.Memory({ initial: pages, maximum: 65536 });
    } catch (error) {
      throw new RangeError(`could not allocate ${(this.bytes / 2 ** 30).toFixed(2)} GiB of host state: ${(error as Error).message}`);
    }
    const env = { env: { memory: this.memory } };
    modules ??= [adamwUnshared, emaUnshared].map((base64) => new WebAssembly.Module(decode(base64)));
    this.kernels = Object.assign({}, ...modules.map((module) => new WebAssembly.Instance(module, env).exports)) as ArenaKernels;
    let at = 0;
    this.views = blocks.map((n) => {
      const view = new Float32Array(this.memory.buffer, 4 * at, n);
      at += roundUp(n);
      return view;
    });
    this.stagingFloats = stagingFloats;
    this.pIn = 4 * at;
    this.gIn = 4 * (at + roundUp(stagingFloats));
  }

  /**
   * An arena for these blocks, or null where the runtime has no WASM SIMD (the caller then keeps
   * plain Float32Arrays and its JS loop). Throws a RangeError when the blocks and staging exceed
   * one WASM memory (4 GiB).
   */
  static create(blocks: number[], stagingFloats: number): HostStateArena | null {
    if (!hostStateArenaSupported()) return null;
    return new HostStateArena(blocks, stagingFloats);
  }

  /** Whether `view` lies in this arena (a block or a part of one). */
  owns(view: Float32Array): boolean {
    return view.buffer === this.memory.buffer;
  }

  /**
   * One AdamW step (the scalars as `adamwInPlace` takes them) of `parameter` with its gradient `grad`:
   * the moments `m`, `v` (views in this arena, one float per element) are updated in place, the
   * parameter is assigned a new buffer with the result. The caller keeps ownership of `grad`.
   */
  adamw(parameter: tf.Variable, grad: tf.Tensor, m: Float32Array, v: Float32Array, s: AdamWScalars): void {
    const n = parameter.size;
    if (grad.size !== n || m.length !== n || v.length !== n) {
      throw new Error(`host AdamW: parameter ${n}, gradient ${grad.size}, moments ${m.length} and ${v.length} values`);
    }
    const [mAt, vAt] = [this.at(m), this.at(v)];
    this.stage(parameter, this.pIn);
    this.stage(grad, this.gIn);
    const p = this.pIn;
    this.kernels.adamw(p, this.gIn, mAt, vAt, p, n, s.decay, s.b1, s.c1, s.b2, s.c2, s.bias2, s.eps, s.step, s.decays ? 1 : 0);
    this.writeBack(parameter, new Float32Array(this.memory.buffer, p, n));
  }

  /**
   * One update of one or two averages of `value`: each `e ← e·keep + value·take` (float32), `e`
   * a view in this arena of `value.size` floats. The value is read once for both.
   */
  ema(value: tf.Tensor, emas: Array<{ e: Float32Array; keep: number; take: number }>): void {
    if (emas.length < 1 || emas.length > 2) throw new Error(`host EMA: one or two averages at a time, not ${emas.length}`);
    for (const { e } of emas) if (e.length !== value.size) throw new Error(`host EMA: ${e.length} averages for ${value.size} values`);
    const [first, second] = emas;
    const [e1, e2] = [this.at(first.e), second ? this.at(second.e) : 0];
    this.stage(value, this.pIn);
    this.kernels.ema(this.pIn, e1, e2, value.size, emas.length, first.keep, first.take, second?.keep ?? 0, second?.take ?? 0);
  }

  /** The byte offset of a view of this arena. */
  private at(view: Float32Array): number {
    if (!this.owns(view)) throw new Error('host state arena: a view of another memory was passed');
    return view.byteOffset;
  }

  /** Copies a float32 tensor's values to the staging area at byte offset `to`. */
  private stage(t: tf.Tensor, to: number): void {
    if (t.size > this.stagingFloats) throw new RangeError(`host state arena: ${t.size} values exceed its staging area of ${this.stagingFloats}`);
    if (t.dtype !== 'float32') throw new Error(`host state arena: ${t.dtype} values, expected float32`);
    const target = new Float32Array(this.memory.buffer, to, t.size);
    const heap = wasmHeap();
    const record = heap?.backend.dataIdMap.get(t.dataId);
    if (heap && record) target.set(new Float32Array(heap.memory.buffer, record.memoryOffset, t.size));
    else target.set(t.dataSync() as Float32Array);
  }

  /** Assigns `variable` a new backend buffer holding `values` (copied). */
  private writeBack(variable: tf.Variable, values: Float32Array): void {
    const heap = wasmHeap();
    let next: tf.Tensor;
    if (heap) {
      // A new buffer, as adamwInPlace writes: XNNPACK caches packed weights by buffer.
      const info = heap.backend.makeOutput([...variable.shape], 'float32');
      const offset = heap.backend.dataIdMap.get(info.dataId)!.memoryOffset;
      new Float32Array(heap.memory.buffer, offset, values.length).set(values);
      next = tf.engine().makeTensorFromTensorInfo(info);
    } else {
      // Other backends may keep the array given: hand them a copy.
      next = tf.tensor(values.slice(), variable.shape, 'float32');
    }
    variable.assign(next);
    next.dispose();
  }
}
