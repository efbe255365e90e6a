import * as tf from '@tensorflow/tfjs-core';
import { adamwShared, adamwUnshared } from '../backends/kernels/adamw-wasm.js';
import { emaShared, emaUnshared } from '../backends/kernels/ema-wasm.js';
import { instantiateOn, onEachHeap, type WasmBackend } from '../backends/wasm/heap.js';

// Optimiser and EMA updates as one WASM SIMD pass per parameter on tfjs-backend-wasm's heap
// (kernels/adamw.wat, kernels/ema.wat) instead of a dozen elementwise kernels and their temporary
// buffers. Same float32 operations in the same order, so the same bits as the tf-op updates.
// Each returns false, changing nothing, where it cannot run (another backend, no WASM SIMD, or a
// buffer shared with another tensor, which an in-place write would change too): the caller then
// runs its tf-op update.

interface WasmHeapBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

interface UpdateKernels {
  adamw(
    p: number,
    g: number,
    m: number,
    v: number,
    out: number,
    n: number,
    decay: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    bias2: number,
    eps: number,
    step: number,
    decays: number,
  ): void;
  ema(p: number, e1: number, e2: number, n: number, count: number, keep1: number, take1: number, keep2: number, take2: number): void;
}

const kernelsOn = onEachHeap(
  (memory) =>
    ({
      ...instantiateOn<WebAssembly.Exports>(memory, { shared: adamwShared, unshared: adamwUnshared }),
      ...instantiateOn<WebAssembly.Exports>(memory, { shared: emaShared, unshared: emaUnshared }),
    }) as unknown as UpdateKernels,
);
function wasmKernels(): { backend: WasmHeapBackend; kernels: UpdateKernels } | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as WasmHeapBackend;
  const kernels = kernelsOn(backend as unknown as WasmBackend);
  return kernels ? { backend, kernels } : null;
}

/** The heap offset of a float32 tensor's data, or undefined when `owned` and the buffer is shared. */
function offset(backend: WasmHeapBackend, t: tf.Tensor, owned: boolean): number | undefined {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data || t.dtype !== 'float32' || (owned && data.refCount !== 1)) return undefined;
  return data.memoryOffset;
}

/** AdamW's float32 scalars, already rounded as the tf-op update rounds them. */
export interface AdamWScalars {
  decay: number;
  b1: number;
  c1: number;
  b2: number;
  c2: number;
  bias2: number;
  eps: number;
  step: number;
  /** Whether the parameter decays (multiplied by `decay` first). */
  decays: boolean;
}

/**
 * One AdamW step: the moments `m`, `v` updated in place, the parameter assigned a new buffer.
 * Returns false (nothing changed) where the fused kernel cannot run.
 */
export function adamwInPlace(parameter: tf.Variable, grad: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamWScalars): boolean {
  const found = wasmKernels();
  if (!found || grad.size !== parameter.size || m.size !== parameter.size || v.size !== parameter.size) return false;
  const { backend, kernels } = found;
  const [p, g, mo, vo] = [offset(backend, parameter, false), offset(backend, grad, false), offset(backend, m, true), offset(backend, v, true)];
  if (p === undefined || g === undefined || mo === undefined || vo === undefined) return false;
  const info = backend.makeOutput([...parameter.shape], 'float32');
  const out = backend.dataIdMap.get(info.dataId)!.memoryOffset;
  kernels.adamw(p, g, mo, vo, out, parameter.size, s.decay, s.b1, s.c1, s.b2, s.c2, s.bias2, s.eps, s.step, s.decays ? 1 : 0);
  const next = tf.engine().makeTensorFromTensorInfo(info);
  parameter.assign(next);
  next.dispose();
  return true;
}

/**
 * One or two EMAs of the same parameters, in place: `flat` holds every parameter's average, one
 * after another in `values` order; `e ← e·keep + p·take` (keep and take float32). Returns false
 * (nothing changed) where the fused kernel cannot run.
 */
export function emaInPlace(values: tf.Tensor[], emas: Array<{ flat: tf.Variable; keep: number; take: number }>): boolean {
  const found = wasmKernels();
  if (!found || emas.length < 1 || emas.length > 2) return false;
  const { backend, kernels } = found;
  const total = values.reduce((sum, t) => sum + t.size, 0);
  const bases = emas.map(({ flat }) => (flat.size === total ? offset(backend, flat, true) : undefined));
  const sources = values.map((t) => offset(backend, t, false));
  if (bases.some((b) => b === undefined) || sources.some((s) => s === undefined)) return false;
  const [first, second] = emas;
  let at = 0;
  values.forEach((t, i) => {
    kernels.ema(
      sources[i]!,
      bases[0]! + 4 * at,
      second ? bases[1]! + 4 * at : 0,
      t.size,
      emas.length,
      first.keep,
      first.take,
      second?.keep ?? 0,
      second?.take ?? 0,
    );
    at += t.size;
  });
  return true;
}
