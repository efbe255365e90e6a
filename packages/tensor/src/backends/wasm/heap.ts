// What our replacements of tfjs-backend-wasm kernels share: the backend's heap, where a tensor's
// data lives in it, a scratch block, and the replacement of a registered kernel.
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's backend object the replacements use. */
export interface WasmBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory }; tfjs?: { getThreadsCount?(): number } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

type Marked = tf.KernelConfig & { pixelrepa?: true };

let threadsForKernels = 1;

/** Set by initBackend('wasm'): the threads the backend runs on (our GEMM's helper thread where > 1). */
export function setKernelThreads(threads: number): void {
  threadsForKernels = threads;
}

/** The threads the wasm backend runs on, whatever tfjs's XNNPACK pool was given. */
export function kernelThreads(): number {
  return threadsForKernels;
}

/** The backend's WebAssembly memory, if it exposes it. */
export function heapOf(backend: WasmBackend): WebAssembly.Memory | undefined {
  return backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
}

/** Where a tensor's data starts in the WASM heap (bytes). */
export function offsetOf(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

/** A heap block of at least `bytes` for packing, kept (and grown) for the backend's lifetime. */
const scratchBlocks = new WeakMap<object, tf.TensorInfo>();
export function scratch(backend: WasmBackend, bytes: number): number {
  let block = scratchBlocks.get(backend);
  if (!block || tf.util.sizeFromShape(block.shape) * 4 < bytes) {
    if (block) backend.disposeData(block.dataId);
    block = backend.makeOutput([Math.ceil(bytes / 4) + 4], 'float32');
    scratchBlocks.set(backend, block);
  }
  return Math.ceil(offsetOf(backend, block) / 16) * 16;
}

/** Replaces the wasm kernel `name` with `make(native)` once (a replaced kernel is marked and left alone). */
export function replace(name: string, make: (native: tf.KernelFunc) => tf.KernelFunc): void {
  const kernel = tf.getKernel(name, 'wasm') as Marked | undefined;
  if (!kernel || kernel.pixelrepa) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...kernel, kernelFunc: make(kernel.kernelFunc), pixelrepa: true } as Marked);
}

/** Whether `memory` is shared (threaded builds): the kernel binaries come in a build for each. */
export function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** The exports of a kernel module (base64, one build for shared memory, one for plain) instantiated on `memory`; throws where the engine has no WASM SIMD. */
export function instantiateOn<E>(memory: WebAssembly.Memory, binaries: { shared: string; unshared: string }): E {
  const bytes = Uint8Array.from(atob(isShared(memory) ? binaries.shared : binaries.unshared), (c) => c.charCodeAt(0));
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as E;
}

/**
 * `instantiate` on a backend's heap, once per memory (a heap that grows keeps its memory object);
 * null, remembered, where the backend exposes no memory or `instantiate` throws (no WASM SIMD).
 */
export function onEachHeap<E>(instantiate: (memory: WebAssembly.Memory) => E): (backend: WasmBackend) => E | null {
  const instances = new WeakMap<WebAssembly.Memory, E | null>();
  return (backend) => {
    const memory = backend.wasm ? heapOf(backend) : undefined;
    if (!memory) return null;
    let kernel = instances.get(memory);
    if (kernel === undefined) {
      try {
        kernel = instantiate(memory);
      } catch {
        kernel = null;
      }
      instances.set(memory, kernel);
    }
    return kernel;
  };
}

/** Whether the active backend is wasm with the kernel `name` registered and its module instantiable. */
export function wasmKernelReady(name: string, kernelOn: (backend: WasmBackend) => unknown): boolean {
  if (tf.getBackend() !== 'wasm' || tf.getKernel(name, 'wasm') === undefined) return false;
  return kernelOn(tf.backend() as unknown as WasmBackend) !== null;
}

/** Row-major strides (in values) of `shape`. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let i = shape.length - 1, stride = 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/** Merges neighbouring (count, stride) levels that are contiguous in memory into one level, in place. */
export function mergeContiguousLevels(levels: Array<[number, number]>): Array<[number, number]> {
  for (let i = levels.length - 2; i >= 0; i--) {
    const [count, stride] = levels[i + 1];
    if (levels[i][1] === stride * count) levels.splice(i, 2, [levels[i][0] * count, stride]);
  }
  return levels;
}
