export { FormatError } from './errors.js';
export { type DType, type RawTensor, type TypedArray, dtypeBytes, bf16ToFloat32, f16ToFloat32, widenHalf } from './dtypes.js';
export { readSafetensors, type SafetensorsFile, type ReadSafetensorsOptions } from './safetensors/read.js';
