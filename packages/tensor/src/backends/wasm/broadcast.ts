import * as tf from '@tensorflow/tfjs-core';
import { broadcastPlan, instantiateBroadcast } from '../kernels/broadcast-binary-kernel.js';
import { offsetOf, onEachHeap, replace, type WasmBackend } from './heap.js';

/** Broadcasting float32 Add, Sub, Multiply, RealDiv on broadcast-binary.wat. */
export function installBroadcastBinary(): void {
  // Broadcasting float32 Add, Sub, Multiply, RealDiv (biases, adaLN's modulate and gate, RoPE's
  // tables, per-row factors): tfjs-backend-wasm walks a broadcast element by element with index
  // arithmetic; broadcast-binary.wat runs it in SIMD rows. Same operation per element, same bits.
  for (const [name, op] of [
    [tf.Add, 'add'],
    [tf.Sub, 'sub'],
    [tf.Multiply, 'mul'],
    [tf.RealDiv, 'div'],
  ] as const) {
    replace(name, (native) => (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const backend = args.backend as unknown as WasmBackend;
      if (!broadcastRouting || a.dtype !== 'float32' || b.dtype !== 'float32' || tf.util.arraysEqual(a.shape, b.shape)) return native(args);
      const plan = broadcastPlan(a.shape, b.shape);
      const kernels = plan && plan.P * plan.Q * plan.R >= 1024 ? broadcastKernels(backend) : null;
      if (!plan || !kernels) return native(args);
      const [full, small] = plan.full === 'a' ? [a, b] : [b, a];
      const out = backend.makeOutput(plan.outShape, 'float32');
      kernels[op](
        offsetOf(backend, full),
        offsetOf(backend, small),
        offsetOf(backend, out),
        plan.P,
        plan.Q,
        plan.R,
        plan.sP,
        plan.sQ,
        plan.sR,
        plan.full === 'a' ? 0 : 1,
      );
      return out;
    });
  }
}

let broadcastRouting = true;
/** Development switch (A/B runs): false sends broadcasting elementwise kernels back to tfjs's own. */
export function setWasmBroadcastKernels(enabled: boolean): void {
  broadcastRouting = enabled;
}

/** broadcast-binary.wat on the backend's memory (once per memory); null where WASM SIMD is unavailable. */
const broadcastKernels = onEachHeap(instantiateBroadcast);
