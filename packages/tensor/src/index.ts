// The TF.js surface the other packages use (a namespace re-export keeps types usable as tf.Tensor2D).
export * as tf from '@tensorflow/tfjs-core';
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Scalar, Variable, Rank, DataType, TensorLike, NamedTensorMap } from '@tensorflow/tfjs-core';
export {
  initBackend,
  setThreadsCount,
  backendNames,
  backendTable,
  backendCapabilities,
  BackendUnavailableError,
  type BackendCapabilities,
  type BackendEntry,
  type BackendProbe,
  type BackendName,
  type BackendRequest,
  type BackendInfo,
  type BackendAttempt,
  type InitBackendOptions,
  type ModuleLoader,
  type DawnBackend,
} from './backend.js';
export { Rng, createRng, rngFromState, RandomStream, createRandomStream, philox4x32, type RandomState, type Seed } from './random/index.js';
export { explainHeapExhaustion, HeapExhaustedError } from './backends/heap-exhausted.js';
export { keysCubic, KEYS_CUBIC_A } from './math/keys-cubic.js';
export { dense, denseChunks } from './ops/dense.js';
export { rmsNorm } from './ops/rms-norm.js';
export { swiglu } from './ops/swiglu.js';
export { rope, rotateHalf } from './ops/rope.js';
export { remat } from './ops/remat.js';
export { setFusedKernels, type FusedOp } from './ops/fused.js';
export { adamwInPlace, emaInPlace, type AdamWScalars } from './ops/in-place-updates.js';
export { HOST_STATE_ARENA_MAX_BYTES, HostStateArena, hostStateArenaBytes, hostStateArenaSupported } from './ops/host-state.js';
export { setWasmGemmRouting, setWasmBroadcastKernels } from './backends/wasm-kernels.js';
export { recordKernels, type KernelRecord } from './profile.js';
