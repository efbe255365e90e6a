// The frozen encoder whose tokens are the alignment target: a DINOv2 (downloaded or a local
// file) or a small ViT saved as safetensors (the quickstart's procedural-data encoder).
import { existsSync } from 'node:fs';
import { SmallViT, dinov2Presets, smallViTProcedural, type Encoder, type SmallViTConfig } from '@pixelrepa/encoders';
import { loadEncoder } from '@pixelrepa/encoders/node';
import { readSafetensorsFile } from '@pixelrepa/io/node';
import { tensorStateDict } from '@pixelrepa/nn';
import { tf } from '@pixelrepa/tensor';
import { UsageError } from './errors.js';

export interface TargetEncoderOptions {
  /** The JiT's token grid side: the encoder must give as many tokens. */
  grid: number;
  /** A local weights file for a DINOv2 (else the cache or a download). */
  weightsFile?: string;
  offline?: boolean;
  cacheDir?: string;
}

/**
 * `dinov2-vitb14` (any DINOv2 name) → built as PixelREPA does, with patch 16 at 16·grid px so it
 * gives the JiT's grid of tokens; a path → a SmallViT from safetensors. Checks the token grid.
 */
export async function loadTargetEncoder(name: string, options: TargetEncoderOptions): Promise<Encoder> {
  let encoder: Encoder;
  if (name in dinov2Presets) {
    encoder = await loadEncoder(name, { imgSize: 16 * options.grid, patchSize: 16, weightsFile: options.weightsFile, offline: options.offline, cacheDir: options.cacheDir });
  } else if (existsSync(name)) {
    encoder = loadSmallViT(name);
  } else {
    throw new UsageError(`unknown encoder "${name}": expected a DINOv2 name (${Object.keys(dinov2Presets).join(', ')}) or the path of a SmallViT .safetensors file (no such file)`);
  }
  const [rows, columns] = encoder.gridSize;
  if (rows !== options.grid || columns !== options.grid) {
    encoder.dispose();
    throw new UsageError(`the encoder ${encoder.label} gives ${rows}×${columns} tokens but the JiT has ${options.grid}×${options.grid} patches; the alignment needs one target token per patch (choose an encoder built for this grid)`);
  }
  return encoder;
}

/**
 * A SmallViT from a safetensors file. Its config comes from the `pixelrepa` metadata
 * (`{"model": "SmallViT", "config": {...}}`, as the quickstart writes it); without one the
 * procedural preset is assumed and the shapes must fit it.
 */
export function loadSmallViT(path: string): SmallViT {
  const file = readSafetensorsFile(path);
  let config: SmallViTConfig = smallViTProcedural;
  const metadata = file.metadata.pixelrepa ? (JSON.parse(file.metadata.pixelrepa) as { model?: string; config?: SmallViTConfig }) : undefined;
  if (metadata?.config) {
    if (metadata.model && metadata.model !== 'SmallViT') throw new UsageError(`${path} holds a ${metadata.model}, not a SmallViT; for DINOv2 weights pass --encoder dinov2-vitb14 --encoder_weights ${path}`);
    config = metadata.config;
  }
  const encoder = new SmallViT(config);
  const state = tensorStateDict(file.tensors);
  try {
    encoder.loadStateDict(state, { context: metadata?.config ? `the config in its metadata is ${JSON.stringify(config)}` : `no config in its metadata, so the procedural SmallViT (${JSON.stringify(config)}) was assumed` });
  } catch (error) {
    encoder.dispose();
    throw error;
  } finally {
    tf.dispose([...state.values()]);
  }
  return encoder.freeze();
}
