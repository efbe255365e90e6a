// The frozen encoder whose tokens are the alignment target: a DINOv2 (downloaded or a local
// file) or a small ViT saved as safetensors (the quickstart's procedural-data encoder).
import { existsSync } from 'node:fs';
import { dinov2Presets, type Encoder, type SmallViT } from '@pixelrepa/encoders';
import { loadEncoder, loadSmallViTFile } from '@pixelrepa/encoders/node';
import type { OutputStream } from './context.js';
import { UsageError } from './errors.js';
import { downloadProgress } from './progress.js';

export interface TargetEncoderOptions {
  /** The JiT's token grid side: the encoder must give as many tokens. */
  grid: number;
  /** A local weights file for a DINOv2 (else the cache or a download). */
  weightsFile?: string;
  offline?: boolean;
  cacheDir?: string;
  /** Where a download's progress is drawn (default: stderr). */
  stderr?: OutputStream;
}

/**
 * `dinov2-vitb14` (any DINOv2 name) → built as PixelREPA does, with patch 16 at 16·grid px so it
 * gives the JiT's grid of tokens; a path → a SmallViT from safetensors. Checks the token grid.
 */
export async function loadTargetEncoder(name: string, options: TargetEncoderOptions): Promise<Encoder> {
  let encoder: Encoder;
  if (name in dinov2Presets) {
    encoder = await loadEncoder(name, {
      ...dinov2TargetGeometry(options.grid),
      weightsFile: options.weightsFile,
      offline: options.offline,
      cacheDir: options.cacheDir,
      onProgress: downloadProgress(options.stderr ?? process.stderr),
    });
  } else if (existsSync(name)) {
    encoder = loadSmallViT(name);
  } else {
    throw new UsageError(
      `unknown encoder "${name}": expected a DINOv2 name (${Object.keys(dinov2Presets).join(', ')}) or the path of a SmallViT .safetensors file (no such file)`,
    );
  }
  const [rows, columns] = encoder.gridSize;
  if (rows !== options.grid || columns !== options.grid) {
    encoder.dispose();
    throw new UsageError(
      `the encoder ${encoder.label} gives ${rows}×${columns} tokens but the JiT has ${options.grid}×${options.grid} patches; the alignment needs one target token per patch (choose an encoder built for this grid)`,
    );
  }
  return encoder;
}

/** PixelREPA's DINOv2 geometry for a JiT with `grid`×`grid` patches: patch 16 at 16·grid px (`--repa_image_size`, `--repa_patch_size`). */
export function dinov2TargetGeometry(grid: number): { imgSize: number; patchSize: number } {
  return { imgSize: 16 * grid, patchSize: 16 };
}

/** A SmallViT from a safetensors file (config from its metadata, else the procedural preset). */
export function loadSmallViT(path: string): SmallViT {
  try {
    return loadSmallViTFile(path);
  } catch (error) {
    const message = (error as Error).message;
    if (/not a SmallViT$/.test(message)) throw new UsageError(`${message}; for DINOv2 weights pass --encoder dinov2-vitb14 --encoder_weights ${path}`);
    throw error;
  }
}
