import type { RawTensor } from '@pixelrepa/io';
import { float32, toFloat32 } from './float32.js';
import { hfToMetaName } from './hf-names.js';

/** transformers' `Dinov2ForImageClassification` and friends put the backbone under this prefix. */
const hfBackbonePrefix = 'dinov2.';

/**
 * HF `Dinov2Model` state dict → DINOv2's own names with the table of `hf-names.ts`: query, key and
 * value are concatenated back into `qkv` (in that order). Names outside the table pass through
 * unchanged, so a strict load reports them.
 */
export function hfToMeta(state: Map<string, RawTensor>): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  const parts = new Map<string, RawTensor[]>();
  for (const [fullName, value] of state) {
    const name = fullName.startsWith(hfBackbonePrefix) ? fullName.slice(hfBackbonePrefix.length) : fullName;
    const mapped = hfToMetaName(name);
    if (!mapped) out.set(name, value);
    else if (!mapped.part) out.set(mapped.meta, value);
    else {
      const list = parts.get(mapped.meta) ?? new Array<RawTensor>(mapped.part.of);
      list[mapped.part.index] = value;
      parts.set(mapped.meta, list);
    }
  }
  for (const [name, list] of parts) out.set(name, concatRows(name, list));
  return out;
}

/** Concatenates tensors along dim 0. [n₀, …], [n₁, …], … → [Σnₖ, …] */
function concatRows(name: string, list: RawTensor[]): RawTensor {
  const missing = [...list.keys()].filter((i) => !list[i]);
  if (missing.length) throw new Error(`${name}: the checkpoint has only ${list.length - missing.length} of its ${list.length} parts (query, key, value)`);
  const values = list.map((raw, i) => toFloat32(`${name} part ${i}`, raw));
  const tail = values[0].shape.slice(1);
  if (values.some((v) => v.shape.slice(1).join() !== tail.join())) {
    throw new Error(`${name}: its parts have different shapes (${values.map((v) => `[${v.shape.join(', ')}]`).join(', ')})`);
  }
  const data = new Float32Array(values.reduce((n, v) => n + v.data.length, 0));
  let offset = 0;
  for (const v of values) {
    data.set(v.data, offset);
    offset += v.data.length;
  }
  return float32([values.reduce((n, v) => n + v.shape[0], 0), ...tail], data);
}
