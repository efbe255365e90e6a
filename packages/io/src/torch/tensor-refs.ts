import { PickledObject } from '../pickle/globals.js';
import { StorageRef, TensorRef } from './references.js';

/**
 * Every tensor view in an unpickled tree, each object once (shared and cyclic parts are walked
 * once, iteratively, so neither a DAG nor deep nesting costs more than its size). A storage
 * pickled on its own counts as a view of all of it. The storage reader plans its reads from
 * these before it allocates anything.
 */
export function collectTensorRefs(root: unknown): Array<TensorRef | StorageRef> {
  const refs: Array<TensorRef | StorageRef> = [];
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof TensorRef || value instanceof StorageRef) refs.push(value);
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value instanceof Set) for (const item of value) stack.push(item);
    else if (value instanceof Map || value instanceof PickledObject) {
      for (const [key, item] of value instanceof Map ? value : value.attributes) stack.push(key, item);
    }
  }
  return refs;
}
