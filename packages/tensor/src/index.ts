export * as tf from './tf.js';
export type {
  Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Scalar, Variable, Rank, DataType, TensorLike, NamedTensorMap,
} from '@tensorflow/tfjs-core';
export { initBackend, type BackendName, type BackendInfo, type InitBackendOptions } from './backend.js';
