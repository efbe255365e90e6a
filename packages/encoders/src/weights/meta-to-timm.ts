import type { RawTensor } from '@pixelrepa/io';
import { float32, toFloat32 } from './float32.js';

/** Checkpoint keys DINOv2 has and timm drops: the masked-image-modelling token (unused at inference). */
export const ignoredDinoV2Keys: readonly string[] = ['mask_token'];

const swigluRenames: ReadonlyArray<[RegExp, string]> = [
  [/^(blocks\.\d+\.mlp\.)w12\.(weight|bias)$/, '$1fc1.$2'],
  [/^(blocks\.\d+\.mlp\.)w3\.(weight|bias)$/, '$1fc2.$2'],
];

/** The timm name of a DINOv2 (Meta) name; undefined for keys timm drops. Values may change too: see `metaToTimm`. */
export function metaToTimmName(name: string): string | undefined {
  if (ignoredDinoV2Keys.includes(name)) return undefined;
  if (name === 'register_tokens') return 'reg_token';
  return swigluRenames.reduce((n, [pattern, replacement]) => n.replace(pattern, replacement), name);
}

/**
 * DINOv2's own names → timm's, as timm's `_convert_dinov2` does: drop `mask_token`; ViT-g's
 * `mlp.w12`/`mlp.w3` become `mlp.fc1`/`mlp.fc2`; with registers, `register_tokens` becomes
 * `reg_token`, the cls row of `pos_embed` is folded into `cls_token` and the table keeps the
 * patch rows only (timm's `no_embed_class`: neither cls nor registers get a position there).
 */
export function metaToTimm(state: Map<string, RawTensor>): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  for (const [name, value] of state) {
    const renamed = metaToTimmName(name);
    if (renamed !== undefined) out.set(renamed, value);
  }
  const registers = state.get('register_tokens');
  const cls = state.get('cls_token');
  const pos = state.get('pos_embed');
  if (registers && cls && pos) {
    const clsValues = toFloat32('cls_token', cls);
    const posValues = toFloat32('pos_embed', pos);
    const [, rows, D] = posValues.shape;
    const folded = new Float32Array(D);
    for (let c = 0; c < D; c++) folded[c] = clsValues.data[c] + posValues.data[c];
    out.set('reg_token', registers);
    out.set('cls_token', float32([1, 1, D], folded));
    out.set('pos_embed', float32([1, rows - 1, D], posValues.data.slice(D)));
  }
  return out;
}
