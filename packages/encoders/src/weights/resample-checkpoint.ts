import type { RawTensor } from '@pixelrepa/io';
import { resamplePatchEmbed } from '../resample/patch-embed.js';
import { resampleAbsPosEmbed } from '../resample/pos-embed.js';
import { float32, toFloat32 } from './float32.js';

export interface TargetGeometry {
  patchSize: number;
  /** The token grid [rows, columns] = imgSize / patchSize. */
  gridSize: readonly [number, number];
  /** Rows of pos_embed before the grid: 1 (cls) without registers, 0 with (timm `no_embed_class`). */
  numPosPrefixTokens: number;
}

/**
 * timm's `checkpoint_filter_fn` geometry step: a patch kernel of another size is PI-resized,
 * a position grid of another size is resampled with antialiased bicubic (prefix rows kept).
 * Other tensors pass through. Returns a new map; the input is not changed.
 */
export function resampleToGeometry(state: Map<string, RawTensor>, { patchSize, gridSize, numPosPrefixTokens }: TargetGeometry): Map<string, RawTensor> {
  const out = new Map(state);
  const kernel = state.get('patch_embed.proj.weight');
  if (kernel && (kernel.shape[2] !== patchSize || kernel.shape[3] !== patchSize)) {
    const resized = resamplePatchEmbed(toFloat32('patch_embed.proj.weight', kernel), [patchSize, patchSize]);
    out.set('patch_embed.proj.weight', float32(resized.shape, resized.data));
  }
  const pos = state.get('pos_embed');
  if (pos && pos.shape[1] !== numPosPrefixTokens + gridSize[0] * gridSize[1]) {
    const resized = resampleAbsPosEmbed(toFloat32('pos_embed', pos), { newSize: gridSize, numPrefixTokens: numPosPrefixTokens });
    out.set('pos_embed', float32(resized.shape, resized.data));
  }
  return out;
}
