import * as tf from '@tensorflow/tfjs-core';
import { replace, type WasmBackend } from './heap.js';

/** Cast to the tensor's own dtype without a copy. */
export function installCast(): void {
  replace(tf.Cast, (native) => (args) => {
    // tfjs's gradients of Multiply, RealDiv and others cast their float32 operands to float32; the
    // wasm kernel copies the data for that. A cast to the same dtype shares it under a reference
    // count instead (as Identity does, see identity.ts); other casts keep the native kernel.
    const x = args.inputs.x as tf.TensorInfo;
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    if (x.dtype !== dtype || dtype === 'string' || dtype === 'complex64') return native(args);
    (args.backend as unknown as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  });
}
