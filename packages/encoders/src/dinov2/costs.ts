// DINOv2's size and multiply-accumulates from its config alone (no weights are built): for
// `pixelrepa info` and the benchmarks' GFLOP/s. MACs count matmuls only; FLOPs = 2 · MACs.
import type { DinoV2Config } from './config.js';

/** DINOv2 (timm layout) parameters at its built geometry: patch embedding, cls/register tokens, positions, blocks, final norm. */
export function dinov2ParameterCount(config: DinoV2Config): number {
  const { embedDim: D, depth, mlpHidden, mlp, imgSize, patchSize, regTokens, inChannels } = config;
  const patches = (imgSize / patchSize) ** 2;
  const fc2In = mlp === 'gelu' ? mlpHidden : mlpHidden / 2;
  const block = 2 * D + (3 * D * D + 3 * D) + (D * D + D) + D + 2 * D + (D * mlpHidden + mlpHidden) + (fc2In * D + D) + D;
  const positions = regTokens > 0 ? patches : patches + 1;
  return inChannels * patchSize * patchSize * D + D + D + regTokens * D + positions * D + depth * block + 2 * D;
}

/** DINOv2 MACs per image: patch embedding, qkv / proj / MLP per token, q·kᵀ and attention·v. */
export function dinov2ForwardMacs(config: DinoV2Config): number {
  const { embedDim: D, depth, mlpHidden, mlp, imgSize, patchSize, regTokens, inChannels } = config;
  const patches = (imgSize / patchSize) ** 2;
  const N = patches + 1 + regTokens;
  const fc2In = mlp === 'gelu' ? mlpHidden : mlpHidden / 2;
  const perTokenBlock = 3 * D * D + D * D + D * mlpHidden + fc2In * D;
  return patches * patchSize * patchSize * inChannels * D + depth * (N * perTokenBlock + 2 * N * N * D);
}
