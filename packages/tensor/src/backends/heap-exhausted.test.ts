import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend.js';
import { explainHeapExhaustion, HeapExhaustedError } from './heap-exhausted.js';

describe('explainHeapExhaustion', () => {
  afterAll(async () => {
    await initBackend('cpu');
  });

  it('leaves errors alone on a backend without a heap limit', async () => {
    await initBackend('cpu');
    const error = new WebAssembly.RuntimeError('memory access out of bounds');
    expect(explainHeapExhaustion(error)).toBe(error);
  });

  it('on wasm, explains an allocation failure only when the heap is nearly full', async () => {
    await initBackend('wasm', { threads: 1 });
    const error = new WebAssembly.RuntimeError('memory access out of bounds');
    const other = new Error('shapes do not match');
    // A fresh backend's heap is far from 4 GiB: an out-of-bounds access there is some other bug.
    expect(explainHeapExhaustion(error)).toBe(error);
    expect(explainHeapExhaustion(other)).toBe(other);
    // Grow the heap past 80 % of its limit (pages are reserved, not touched), then ask again.
    const backend = tf.backend() as unknown as { wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } } };
    const memory = (backend.wasm.wasmMemory ?? backend.wasm.asm?.memory)!;
    memory.grow(Math.ceil((0.81 * 2 ** 32 - memory.buffer.byteLength) / 65536));
    {
      const explained = explainHeapExhaustion(error, 'a JiT-B/16 training step at batch 4');
      expect(explained).toBeInstanceOf(HeapExhaustedError);
      const e = explained as HeapExhaustedError;
      expect(e.message).toMatch(/^a JiT-B\/16 training step at batch 4 ran out of the wasm backend's memory \(\d\.\d\d of its 4\.00 GiB heap in use/);
      expect(e.message).toContain('use a smaller batch or model');
      expect(e.cause).toBe(error);
      expect(e.limitBytes).toBe(2 ** 32);
      expect(explainHeapExhaustion(other)).toBe(other);
      expect(explainHeapExhaustion(e)).toBe(e);
      // Emscripten's abort when malloc cannot grow the heap (JiT-B/16 at batch 4 ends so).
      const aborted = new WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.');
      expect(explainHeapExhaustion(aborted, 'this step')).toBeInstanceOf(HeapExhaustedError);
    }
  });
});
