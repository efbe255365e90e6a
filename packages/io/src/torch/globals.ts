import { dtypeBytes, type DType } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { pythonGlobals, type GlobalResolver, type PickleGlobal } from '../pickle/globals.js';
import { describeValue, nameOf } from '../describe-value.js';
import { stridedExtent } from '../strided.js';
import { StorageRef, TensorRef } from './references.js';

const FORMAT = 'pth';

/** `torch.FloatStorage` and friends: pickled as values inside persistent ids, never called. */
export class StorageType implements PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly dtype: DType,
    /** UntypedStorage counts bytes; typed storages count elements. */
    readonly untyped = false,
  ) {}
}

/** `torch.float32` and friends (torch.dtype pickles as a global). */
export class TorchDType implements PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly dtype: DType,
  ) {}
}

/** Longest storage key or device name accepted; real ones are a few characters ("0", "cuda:0"). */
const MAX_NAME = 256;

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

const TORCH_DTYPES: Record<string, DType> = {
  float32: 'F32',
  float: 'F32',
  float64: 'F64',
  double: 'F64',
  float16: 'F16',
  half: 'F16',
  bfloat16: 'BF16',
  int64: 'I64',
  long: 'I64',
  int32: 'I32',
  int: 'I32',
  int16: 'I16',
  short: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
};

/**
 * The allow-list for `torch.save` pickles: the Python data classes plus the few torch
 * functions that rebuild tensors and parameters. Anything else is refused by name.
 */
export function torchGlobalResolver(): GlobalResolver {
  const globals = pythonGlobals(FORMAT);
  const add = (g: PickleGlobal) => globals.set(`${g.module}.${g.name}`, g);
  for (const [name, dtype] of Object.entries(STORAGE_DTYPES)) add(new StorageType('torch', name, dtype));
  for (const module of ['torch', 'torch.storage']) add(new StorageType(module, 'UntypedStorage', 'U8', true));
  for (const [name, dtype] of Object.entries(TORCH_DTYPES)) add(new TorchDType('torch', name, dtype));
  const utils = 'torch._utils';
  add({ module: utils, name: '_rebuild_tensor', call: (args) => rebuildTensor(args, undefined) });
  add({ module: utils, name: '_rebuild_tensor_v2', call: (args) => rebuildTensor(args, undefined) });
  add({ module: utils, name: '_rebuild_tensor_v3', call: (args) => rebuildTensor(args, args[6]) });
  // A Parameter is its tensor; requires_grad, hooks and extra state do not matter for weights.
  add({ module: utils, name: '_rebuild_parameter', call: (args) => tensorArgument(args[0], '_rebuild_parameter') });
  add({ module: utils, name: '_rebuild_parameter_with_state', call: (args) => tensorArgument(args[0], '_rebuild_parameter_with_state') });
  add({ module: 'torch._tensor', name: '_rebuild_from_type_v2', call: rebuildFromType });
  // Class objects that _rebuild_from_type_v2 names; as values only.
  add({ module: 'torch._tensor', name: 'Tensor' });
  add({ module: 'torch', name: 'Tensor' });
  add({ module: 'torch.nn.parameter', name: 'Parameter' });
  add({ module: 'torch', name: 'Size', call: (args) => sizeTuple(args[0]) });
  add({ module: 'torch', name: 'device', call: deviceName });
  return (module, name) => globals.get(`${module}.${name}`);
}

/**
 * torch.save's persistent id for a storage: ('storage', storage_type, key, location, numel).
 * Storages with the same key are the same storage (tensors that share memory).
 */
export function storageLoader(): (id: unknown) => StorageRef {
  const loaded = new Map<string, StorageRef>();
  return (id) => {
    if (!Array.isArray(id) || id.length !== 5 || id[0] !== 'storage') {
      throw new FormatError(FORMAT, "persistent id is not a ('storage', type, key, location, size) tuple");
    }
    const [, type, key, location, size] = id as [string, unknown, unknown, unknown, unknown];
    if (!(type instanceof StorageType)) throw new FormatError(FORMAT, 'persistent id names something that is not a torch storage type');
    if (typeof key !== 'string' || typeof location !== 'string') {
      throw new FormatError(FORMAT, `storage key and location must be strings, found ${describeValue(key)} and ${describeValue(location)}`);
    }
    if (key.length > MAX_NAME || location.length > MAX_NAME) {
      throw new FormatError(FORMAT, `storage key or location is longer than ${MAX_NAME} characters (torch.save writes short numeric keys): "${nameOf(key)}"`);
    }
    if (!Number.isSafeInteger(size) || (size as number) < 0)
      throw new FormatError(FORMAT, `storage "${key}" has size ${describeValue(size)}, not a non-negative integer`);
    const byteLength = type.untyped ? (size as number) : (size as number) * dtypeBytes[type.dtype];
    const cacheKey = `${key}\u0000${type.dtype}`;
    let storage = loaded.get(cacheKey);
    if (!storage) {
      storage = new StorageRef(key, type.dtype, byteLength, location);
      loaded.set(cacheKey, storage);
    }
    return storage;
  };
}

/** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
function rebuildTensor(args: unknown[], explicitDType: unknown): TensorRef {
  const [storage, offset, shape, strides] = args;
  if (!isStorage(storage)) throw new FormatError(FORMAT, 'tensor is rebuilt from something that is not a storage');
  if (explicitDType !== undefined && !(explicitDType instanceof TorchDType)) throw new FormatError(FORMAT, '_rebuild_tensor_v3 dtype is not a torch dtype');
  const dtype = explicitDType instanceof TorchDType ? explicitDType.dtype : storage.dtype;
  const where = `tensor in storage "${storage.key}"`;
  if (!Number.isSafeInteger(offset) || (offset as number) < 0)
    throw new FormatError(FORMAT, `storage offset ${describeValue(offset)} is not a non-negative integer`, where);
  const size = sizeTuple(shape);
  const stride = sizeTuple(strides);
  if (size.length !== stride.length)
    throw new FormatError(FORMAT, `size ${describeValue(size)} and stride ${describeValue(stride)} have different lengths`, where);
  const storageElements = Math.floor(storage.byteLength / dtypeBytes[dtype]);
  const extent = stridedExtent(offset as number, size, stride);
  if (extent > storageElements) {
    throw new FormatError(
      FORMAT,
      `view (offset ${offset}, size ${describeValue(size)}, stride ${describeValue(stride)}) reaches element ${extent - 1} of a ${storageElements}-element storage`,
      where,
    );
  }
  return new TensorRef(storage, dtype, offset as number, size, stride);
}

/** _rebuild_from_type_v2(func, new_type, args, state): tensors with attributes; keep the tensor. */
function rebuildFromType(args: unknown[]): unknown {
  const [func, , funcArgs] = args;
  const call = (func as PickleGlobal | undefined)?.call;
  if (!call || !Array.isArray(funcArgs)) throw new FormatError(FORMAT, '_rebuild_from_type_v2 expects (function, type, args, state)');
  return tensorArgument(call(funcArgs), '_rebuild_from_type_v2');
}

function tensorArgument(value: unknown, caller: string): TensorRef {
  if (!(value instanceof TensorRef)) throw new FormatError(FORMAT, `${caller} expects a tensor`);
  return value;
}

function sizeTuple(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new FormatError(FORMAT, `size/stride ${describeValue(value)} is not a tuple of non-negative integers`);
  }
  return [...(value as number[])];
}

function isStorage(value: unknown): value is StorageRef {
  return value instanceof StorageRef;
}

/** torch.device('cuda', 0) or torch.device('cuda:0') → "cuda:0"; anything but short strings and integers is refused. */
function deviceName(args: unknown[]): string {
  const valid = args.length >= 1 && args.length <= 2 && args.every((a) => (typeof a === 'string' && a.length <= MAX_NAME) || Number.isSafeInteger(a));
  if (!valid) throw new FormatError(FORMAT, `torch.device arguments ${describeValue(args)} are not (type[, index])`);
  return args.map(String).join(':');
}
