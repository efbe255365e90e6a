// @pixelrepa/io — file formats as plain bytes: no tensors, no Node APIs (see ./node for files).
export { FormatError } from './errors.js';
export { DEFAULT_MAX_BYTES, type ReadLimits } from './limits.js';
export {
  type DType,
  type RawTensor,
  type TypedArray,
  dtypeBytes,
  isDType,
  isRawTensor,
  elementCount,
  bf16ToFloat32,
  f16ToFloat32,
  widenHalf,
} from './dtypes.js';
export { type ByteSource, bytesSource } from './byte-source.js';
export { readSafetensors, readSafetensorsMetadata, type SafetensorsFile, type ReadSafetensorsOptions } from './safetensors/read.js';
export { writeSafetensors } from './safetensors/write.js';
export { readTorchCheckpoint, type ReadTorchCheckpointOptions } from './torch/checkpoint.js';
export { type CheckpointValue } from './torch/materialize.js';
export { flattenTensors } from './torch/flatten.js';
export { readNpy } from './npy/read.js';
export { writeNpy } from './npy/write.js';
export { readNpz, writeNpz } from './npy/npz.js';
export { writeTorchCheckpoint, stateDict, type TorchSaveValue } from './torch/write.js';
export { pickle, PythonTuple, PythonFloat, PythonOrderedDict, PythonCall, PythonGlobal, PersistentId, type PickleValue } from './pickle/pickler.js';
