import type { RawTensor } from '@pixelrepa/io';
import { hfToMeta } from './hf-to-meta.js';
import { metaToTimm } from './meta-to-timm.js';

/**
 * Where a DINOv2 state dict comes from: timm (`timm/vit_*_dinov2.lvd142m`), DINOv2's own release
 * (`dinov2_vit*14_pretrain.pth`) or Hugging Face transformers (`facebook/dinov2-*`).
 */
export type CheckpointFormat = 'timm' | 'meta' | 'hf';

/** Tells the format from the names. */
export function detectCheckpointFormat(names: Iterable<string>): CheckpointFormat {
  let meta = false;
  for (const name of names) {
    const bare = name.replace(/^dinov2\./, '');
    if (bare.startsWith('embeddings.') || bare.startsWith('encoder.layer.')) return 'hf';
    if (name === 'mask_token' || name === 'register_tokens' || /\.mlp\.w(12|3)\./.test(name)) meta = true;
  }
  return meta ? 'meta' : 'timm';
}

/** Any DINOv2 state dict → timm's names and layout (no resampling yet). */
export function toTimmStateDict(checkpoint: Map<string, RawTensor>): { state: Map<string, RawTensor>; format: CheckpointFormat } {
  const format = detectCheckpointFormat(checkpoint.keys());
  if (format === 'timm') return { state: checkpoint, format };
  const meta = format === 'hf' ? hfToMeta(checkpoint) : checkpoint;
  return { state: metaToTimm(meta), format };
}
