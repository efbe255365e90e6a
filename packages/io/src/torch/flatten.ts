import { nameOf } from '../describe-value.js';
import { isRawTensor, type RawTensor } from '../dtypes.js';

/**
 * Every tensor in a checkpoint tree under its dotted path, the way PyTorch names
 * state-dict entries: `model.net.blocks.0.attn.qkv.weight`, `optimizer.state.0.exp_avg`.
 * Objects, Maps (keys as strings) and arrays (indices) are walked; other leaves are skipped.
 * A container reached twice (shared or cyclic) is walked only the first time.
 *
 * @example
 * const weights = flattenTensors(checkpoint.model_ema1); // 'blocks.0.attn.qkv.weight' → RawTensor
 * const all = flattenTensors(checkpoint);                // 'model_ema1.blocks.0.attn.qkv.weight' → …
 */
export function flattenTensors(tree: unknown, prefix = ''): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  const visited = new Set<object>();
  const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    if (isRawTensor(value)) {
      out.set(path, value);
      return;
    }
    if (visited.has(value)) return;
    visited.add(value);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, join(path, String(i))));
    else if (value instanceof Map)
      for (const [key, item] of value) walk(item, join(path, nameOf(key))); // bounded: a key may be a huge shared list
    else if (ArrayBuffer.isView(value) || value instanceof Set) return;
    else for (const [key, item] of Object.entries(value)) walk(item, join(path, key));
  };
  walk(tree, prefix);
  return out;
}
