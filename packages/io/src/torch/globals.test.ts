import { describe, expect, it } from 'vitest';
import { FormatError } from '../errors.js';
import { PickleBuilder } from '../test-support/pickle-builder.js';
import { buildZip } from '../test-support/zip-builder.js';
import { readTorchCheckpoint } from './checkpoint.js';

/** A torch.save-style zip around a pickle and its storages. */
function checkpoint(pickle: Uint8Array, storages: Record<string, Uint8Array>): Uint8Array {
  return buildZip(
    [
      { name: 'run/data.pkl', data: pickle },
      ...Object.entries(storages).map(([key, data]) => ({ name: `run/data/${key}`, data })),
      { name: 'run/version', data: new TextEncoder().encode('3\n') },
    ],
    { align: 64 },
  );
}

const floats = (...values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe('torch globals', () => {
  it('rebuilds parameters, untyped storages with an explicit dtype (_rebuild_tensor_v3) and torch.Size', () => {
    const b = new PickleBuilder().emptyDict().mark();
    b.string('weight').global('torch._utils', '_rebuild_parameter').mark();
    b.tensor((s) => s.storage('FloatStorage', '0', 3), 1, [2], [1]);
    b.bool(true).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
    b.string('untyped').global('torch._utils', '_rebuild_tensor_v3').mark().storage('UntypedStorage', '1', 8);
    b.int(0).ints([2]).ints([1]).bool(false).global('collections', 'OrderedDict').emptyTuple().reduce().global('torch', 'float32').tuple().reduce();
    b.string('size').global('torch', 'Size').mark().ints([3, 4]).tuple().reduce();
    b.string('dtype').global('torch', 'bfloat16');
    const pickle = b.setItems().build();
    const result = readTorchCheckpoint(checkpoint(pickle, { 0: floats(1, 2, 3), 1: floats(5, 6) }));
    expect(result).toEqual({
      weight: { dtype: 'F32', shape: [2], data: new Float32Array([2, 3]) },
      untyped: { dtype: 'F32', shape: [2], data: new Float32Array([5, 6]) },
      size: [3, 4],
      dtype: 'torch.bfloat16',
    });
  });

  it('refuses a view that reaches past its storage', () => {
    const pickle = new PickleBuilder().tensor((s) => s.storage('FloatStorage', '0', 3), 2, [2], [1]).build();
    expect(() => readTorchCheckpoint(checkpoint(pickle, { 0: floats(1, 2, 3) }))).toThrow(/reaches element 3 of a 3-element storage/);
  });

  it('refuses a storage larger than its zip entry', () => {
    const pickle = new PickleBuilder().tensor((s) => s.storage('FloatStorage', '0', 1000), 0, [1000], [1]).build();
    expect(() => readTorchCheckpoint(checkpoint(pickle, { 0: floats(1, 2, 3) }))).toThrow(/declares 4000 bytes but its zip entry holds 12/);
  });

  it('refuses broadcast views that would allocate far more than the file holds', () => {
    const pickle = new PickleBuilder().tensor((s) => s.storage('FloatStorage', '0', 1), 0, [1_000_000_000], [0]).build();
    expect(() => readTorchCheckpoint(checkpoint(pickle, { 0: floats(1) }))).toThrow(FormatError);
    expect(() => readTorchCheckpoint(checkpoint(pickle, { 0: floats(1) }))).toThrow(/tensors would need 4000000000 bytes, more than .* of storage they view/);
  });

  it('refuses values nested deeper than any checkpoint', () => {
    const b = new PickleBuilder();
    for (let i = 0; i < 5000; i++) b.mark();
    for (let i = 0; i < 5000; i++) b.tuple();
    expect(() => readTorchCheckpoint(checkpoint(b.build(), {}))).toThrow(/nested more than 256 levels/);
  });
});
