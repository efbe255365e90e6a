import { dtypeBytes, isRawTensor, type DType, type RawTensor } from '../dtypes.js';
import { PersistentId, PythonCall, PythonGlobal, PythonOrderedDict, PythonTuple, pickle, type PickleValue } from '../pickle/pickler.js';
import { writeStoredZip, type ZipFileInput } from '../zip/write-stored.js';

const STORAGE_TYPES: Partial<Record<DType, string>> = {
  F32: 'FloatStorage',
  F64: 'DoubleStorage',
  F16: 'HalfStorage',
  BF16: 'BFloat16Storage',
  I64: 'LongStorage',
  I32: 'IntStorage',
  I16: 'ShortStorage',
  I8: 'CharStorage',
  U8: 'ByteStorage',
  BOOL: 'BoolStorage',
};

/** A value of a checkpoint to write: plain data (see `PickleValue`) with RawTensors anywhere. */
export type TorchSaveValue =
  | PickleValue
  | RawTensor
  | readonly TorchSaveValue[]
  | ReadonlyMap<TorchSaveValue, TorchSaveValue>
  | { readonly [key: string]: TorchSaveValue }
  | PythonOrderedDict;

/**
 * Writes `value` as `torch.save` does (the zip format of torch ≥ 1.6): `<name>/data.pkl` (a
 * protocol-2 pickle), one `<name>/data/<key>` file per tensor and `<name>/version`. Tensors are
 * rebuilt by `torch._utils._rebuild_tensor_v2` from typed storages (`torch.FloatStorage`, …) and
 * state dicts are `collections.OrderedDict`s, the only globals used — all on the allow-lists of
 * this package's reader and of `torch.load(weights_only=True)`. Wrap a Map of tensors in
 * `stateDict(map)` to write it as an OrderedDict.
 *
 * @example writeFileSync('checkpoint-last.pth', writeTorchCheckpoint({ model: stateDict(weights), epoch: 10 }));
 */
export function writeTorchCheckpoint(value: TorchSaveValue, { name = 'archive' }: { name?: string } = {}): Uint8Array {
  const storages: ZipFileInput[] = [];
  const convert = (item: TorchSaveValue): PickleValue => {
    if (isRawTensor(item)) return tensorValue(item, storages, name);
    if (item instanceof PythonOrderedDict) return new PythonOrderedDict(new Map([...item.entries].map(([k, v]) => [k, convert(v as TorchSaveValue)])));
    if (Array.isArray(item)) return item.map(convert);
    if (item instanceof Map) return new Map([...item].map(([k, v]) => [k as PickleValue, convert(v as TorchSaveValue)]));
    if (item !== null && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, convert(v as TorchSaveValue)]));
    }
    return item as PickleValue;
  };
  const data = pickle(convert(value));
  const encoder = new TextEncoder();
  return writeStoredZip([{ name: `${name}/data.pkl`, data }, ...storages, { name: `${name}/version`, data: encoder.encode('3\n') }], 'pth');
}

/** A Map of named tensors as the OrderedDict `state_dict()` returns. */
export function stateDict(tensors: ReadonlyMap<string, RawTensor>): PythonOrderedDict {
  return new PythonOrderedDict(tensors as unknown as ReadonlyMap<PickleValue, PickleValue>);
}

/** `_rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())` over a storage of its own. */
function tensorValue(tensor: RawTensor, storages: ZipFileInput[], name: string): PickleValue {
  const type = STORAGE_TYPES[tensor.dtype];
  if (!type) throw new Error(`cannot save a ${tensor.dtype} tensor in a .pth`);
  const numel = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data.byteLength !== numel * dtypeBytes[tensor.dtype]) {
    throw new Error(
      `a ${tensor.dtype} tensor of shape [${tensor.shape.join(', ')}] needs ${numel * dtypeBytes[tensor.dtype]} bytes, its data has ${tensor.data.byteLength}`,
    );
  }
  const key = String(storages.length);
  storages.push({ name: `${name}/data/${key}`, data: new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength) });
  const stride: number[] = [];
  let step = 1;
  for (let i = tensor.shape.length - 1; i >= 0; i--) {
    stride[i] = step;
    step *= tensor.shape[i];
  }
  const storage = new PersistentId(new PythonTuple(['storage', new PythonGlobal('torch', type), key, 'cpu', numel]));
  return new PythonCall('torch._utils', '_rebuild_tensor_v2', [
    storage,
    0,
    new PythonTuple(tensor.shape),
    new PythonTuple(stride),
    false,
    new PythonCall('collections', 'OrderedDict', []),
  ]);
}
