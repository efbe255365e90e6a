import { widenHalf as widen, type RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { MAX_NESTING } from '../limits.js';
import { PickledObject } from '../pickle/globals.js';
import { StorageRef, TensorRef } from './references.js';

/**
 * A value read from a checkpoint: Python data as plain JavaScript, tensors as RawTensor.
 * dicts with only string keys (state dicts, `args`) become plain objects; dicts with other
 * keys (the optimizer's `state: {0: …, 1: …}`) stay Maps; tuples and lists become arrays.
 */
export type CheckpointValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | RawTensor
  | CheckpointValue[]
  | Set<CheckpointValue>
  | Map<CheckpointValue, CheckpointValue>
  | { [key: string]: CheckpointValue };

/** Deeper nesting is refused: real checkpoints nest a few levels, and recursion must not overflow. */
const MAX_DEPTH = MAX_NESTING;

/**
 * Turns the unpickler's values into CheckpointValues, loading tensor data through `load`.
 * Shared objects stay shared and cycles stay cycles (each object is converted once).
 */
export function materialize(root: unknown, load: (ref: TensorRef | StorageRef) => RawTensor, options: { widenHalf?: boolean }): CheckpointValue {
  const converted = new Map<object, CheckpointValue>();

  const visit = (value: unknown, depth: number): CheckpointValue => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object') return value as CheckpointValue;
    const seen = converted.get(value);
    if (seen !== undefined) return seen;
    if (depth > MAX_DEPTH) throw new FormatError('pth', `values are nested more than ${MAX_DEPTH} levels deep`, 'data.pkl');
    if (value instanceof TensorRef || value instanceof StorageRef) {
      const tensor = load(value); // a storage on its own reads as a 1-D tensor of its elements
      const result = options.widenHalf ? widen(tensor) : tensor;
      converted.set(value, result);
      return result;
    }
    if (value instanceof Uint8Array) return value;
    if (Array.isArray(value)) {
      const out: CheckpointValue[] = [];
      converted.set(value, out);
      for (const item of value) out.push(visit(item, depth + 1));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<CheckpointValue>();
      converted.set(value, out);
      for (const item of value) out.add(visit(item, depth + 1));
      return out;
    }
    if (value instanceof Map || value instanceof PickledObject) {
      const entries = value instanceof Map ? value : value.attributes;
      if ([...entries.keys()].every((key) => typeof key === 'string')) {
        const out: { [key: string]: CheckpointValue } = {};
        converted.set(value, out);
        // defineProperty, not assignment: a key named "__proto__" must stay an ordinary key.
        for (const [key, item] of entries)
          Object.defineProperty(out, key as string, { value: visit(item, depth + 1), enumerable: true, writable: true, configurable: true });
        return out;
      }
      const out = new Map<CheckpointValue, CheckpointValue>();
      converted.set(value, out);
      for (const [key, item] of entries) out.set(visit(key, depth + 1), visit(item, depth + 1));
      return out;
    }
    if ('module' in value && 'name' in value) return `${String(value.module)}.${String(value.name)}`; // a class or dtype used as a value
    throw new FormatError('pth', `unexpected value of type ${value.constructor?.name ?? 'object'} in the pickle`, 'data.pkl');
  };

  return visit(root, 0);
}
