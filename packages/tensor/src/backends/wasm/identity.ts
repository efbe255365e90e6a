import * as tf from '@tensorflow/tfjs-core';
import { replace, type WasmBackend } from './heap.js';

/** Identity without a copy. */
export function installIdentity(): void {
  replace(tf.Identity, (copying) => (args) => {
    // The engine clones (Identity) every tensor it keeps for the backward pass; the wasm kernel
    // copies, here the data is shared under a reference count as on the cpu backend (tfjs data
    // is immutable: the wasm Reshape kernel shares it too, variables swap data on assign).
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return copying(args);
    (args.backend as unknown as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
