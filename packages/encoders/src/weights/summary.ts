import type { RawTensor } from '@pixelrepa/io';
import type { MlpKind } from '../vit/mlp.js';

/** What a timm-named DINOv2 state dict says about the model it belongs to. */
export interface DinoV2WeightsSummary {
  embedDim: number;
  depth: number;
  mlp: MlpKind;
  mlpHidden: number;
  regTokens: number;
  /** The patch kernel [kh, kw] (14 × 14 for the published models). */
  kernelSize: [number, number];
  /** The position grid side (37 for the published models), undefined when it is not square. */
  gridSide?: number;
}

const sizeLetters: Record<number, string> = { 384: 'S', 768: 'B', 1024: 'L', 1536: 'g' };

/** `ViT-B/14`-style name of a width and patch size (`ViT (embed 96)/14` for a width without a letter). */
export function vitName(embedDim: number, patchSize: number): string {
  const letter = sizeLetters[embedDim];
  return letter ? `ViT-${letter}/${patchSize}` : `ViT (embed ${embedDim})/${patchSize}`;
}

/** Reads the architecture off the shapes; undefined fields mean the key is absent. */
export function summarizeDinoV2Weights(state: Map<string, RawTensor>): Partial<DinoV2WeightsSummary> {
  const kernel = state.get('patch_embed.proj.weight');
  const fc1 = state.get('blocks.0.mlp.fc1.weight');
  const fc2 = state.get('blocks.0.mlp.fc2.weight');
  const pos = state.get('pos_embed');
  const regTokens = state.get('reg_token')?.shape[1] ?? 0;
  let depth = 0;
  while (state.has(`blocks.${depth}.norm1.weight`)) depth++;
  const summary: Partial<DinoV2WeightsSummary> = { depth, regTokens };
  const embedDim = kernel?.shape[0] ?? state.get('cls_token')?.shape.at(-1);
  if (embedDim !== undefined) summary.embedDim = embedDim;
  if (kernel?.shape.length === 4) summary.kernelSize = [kernel.shape[2], kernel.shape[3]];
  if (fc1 && fc2) {
    summary.mlpHidden = fc1.shape[0];
    summary.mlp = fc2.shape[1] * 2 === fc1.shape[0] ? 'swiglu-packed' : 'gelu';
  }
  if (pos) {
    const gridTokens = pos.shape[1] - (regTokens > 0 ? 0 : 1);
    const side = Math.round(Math.sqrt(gridTokens));
    if (side * side === gridTokens) summary.gridSide = side;
  }
  return summary;
}

/** `DINOv2 ViT-L/14 (embed 1024, depth 24, 4 registers)` for messages. */
export function describeDinoV2Weights(summary: Partial<DinoV2WeightsSummary>): string {
  const patch = summary.kernelSize?.[0] ?? 14;
  const parts = [`embed ${summary.embedDim ?? '?'}`, `depth ${summary.depth ?? '?'}`];
  if (summary.mlp === 'swiglu-packed') parts.push('SwiGLU MLP');
  if (summary.regTokens) parts.push(`${summary.regTokens} registers`);
  return `${summary.embedDim ? vitName(summary.embedDim, patch) : 'ViT'} (${parts.join(', ')})`;
}
