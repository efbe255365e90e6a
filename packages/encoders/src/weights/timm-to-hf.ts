import type { RawTensor } from '@pixelrepa/io';
import { float32, toFloat32 } from './float32.js';
import { metaToHfNames } from './hf-names.js';

/**
 * timm state dict → HF `Dinov2Model` names (the inverse of `toTimmStateDict` for checkpoints
 * written by `save_pretrained`): qkv split into query/key/value, ViT-g's packed MLP named
 * `weights_in`/`weights_out`, a zero `mask_token` added as HF has one. With registers, the cls
 * token keeps its folded position and the table gets a zero cls row (the same function).
 */
export function timmToHf(state: Map<string, RawTensor>): Map<string, RawTensor> {
  const meta = new Map<string, RawTensor>();
  for (const [name, value] of state) meta.set(name, value);
  const D = state.get('cls_token')?.shape.at(-1);
  if (D === undefined) throw new Error('a timm DINOv2 state dict has a cls_token; this one has none');
  renameSwiGLU(meta);
  const registers = meta.get('reg_token');
  if (registers) {
    meta.delete('reg_token');
    meta.set('register_tokens', registers);
    const pos = toFloat32('pos_embed', meta.get('pos_embed')!);
    const withClsRow = new Float32Array(pos.data.length + D);
    withClsRow.set(pos.data, D);
    meta.set('pos_embed', float32([1, pos.shape[1] + 1, D], withClsRow));
  }
  if (!meta.has('mask_token')) meta.set('mask_token', float32([1, D], new Float32Array(D)));
  const out = new Map<string, RawTensor>();
  for (const [name, value] of meta) {
    const targets = metaToHfNames(name);
    if (targets.length === 0) throw new Error(`no Hugging Face name for "${name}"`);
    for (const { hf, part } of targets) out.set(hf, part ? rowSlice(name, value, part.index, part.of) : value);
  }
  return out;
}

/** fc1/fc2 of a packed SwiGLU (fc2 reads half of fc1's width) are `w12`/`w3` in DINOv2's names. */
function renameSwiGLU(state: Map<string, RawTensor>): void {
  for (const name of [...state.keys()]) {
    const match = /^(blocks\.\d+\.mlp\.)fc1\.weight$/.exec(name);
    if (!match) continue;
    const fc2 = state.get(`${match[1]}fc2.weight`);
    if (!fc2 || fc2.shape[1] * 2 !== state.get(name)!.shape[0]) continue;
    for (const [from, to] of [
      ['fc1', 'w12'],
      ['fc2', 'w3'],
    ]) {
      for (const p of ['weight', 'bias']) {
        const value = state.get(`${match[1]}${from}.${p}`);
        if (!value) continue;
        state.delete(`${match[1]}${from}.${p}`);
        state.set(`${match[1]}${to}.${p}`, value);
      }
    }
  }
}

/** Slice `index` of `of` equal slices along dim 0. [n, …] → [n / of, …] */
function rowSlice(name: string, raw: RawTensor, index: number, of: number): RawTensor {
  const values = toFloat32(name, raw);
  const rows = values.shape[0] / of;
  const rowSize = values.data.length / values.shape[0];
  return float32([rows, ...values.shape.slice(1)], values.data.slice(index * rows * rowSize, (index + 1) * rows * rowSize));
}
