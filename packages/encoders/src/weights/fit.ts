import { dinov2Presets, type DinoV2Config } from '../dinov2/config.js';
import { describeDinoV2Weights, type DinoV2WeightsSummary } from './summary.js';

/** Weights that belong to another model than the encoder they are loaded into. */
export class EncoderWeightsError extends Error {
  override readonly name = 'EncoderWeightsError';
}

/**
 * Compares the architecture read off the weights with the encoder's config and throws an
 * `EncoderWeightsError` that names both when they differ (e.g. ViT-L weights into a ViT-B).
 */
export function checkWeightsFit(config: DinoV2Config, summary: Partial<DinoV2WeightsSummary>, source = 'these weights'): void {
  const differences: string[] = [];
  if (summary.embedDim === undefined) differences.push('they have no patch_embed.proj.weight / cls_token');
  else if (summary.embedDim !== config.embedDim) differences.push(`embed ${summary.embedDim} vs ${config.embedDim}`);
  if (summary.depth !== config.depth) differences.push(`depth ${summary.depth ?? 0} vs ${config.depth}`);
  if (summary.embedDim === config.embedDim && summary.mlpHidden !== undefined && (summary.mlp !== config.mlp || summary.mlpHidden !== config.mlpHidden)) {
    differences.push(`MLP ${summary.mlp} ${summary.mlpHidden} vs ${config.mlp} ${config.mlpHidden}`);
  }
  if ((summary.regTokens ?? 0) !== config.regTokens) differences.push(`${summary.regTokens ?? 0} vs ${config.regTokens} register tokens`);
  if (summary.gridSide === undefined && summary.embedDim !== undefined) differences.push('their pos_embed is not a square grid');
  if (differences.length === 0) return;
  const encoder = describeDinoV2Weights({ ...config, kernelSize: [14, 14] });
  const fitting = Object.entries(dinov2Presets).find(
    ([, p]) => p.embedDim === summary.embedDim && p.depth === summary.depth && p.regTokens === (summary.regTokens ?? 0),
  );
  const advice = fitting ? `Build the encoder as "${fitting[0]}" for them, or load ${config.label} weights.` : `Load ${config.label} weights.`;
  throw new EncoderWeightsError(
    `${source} look like DINOv2 ${describeDinoV2Weights(summary)}, the encoder is DINOv2 ${encoder}: ${differences.join(', ')}. ${advice}`,
  );
}
