// Sizes and multiply-accumulates of the models, from their configs alone (no weights are built):
// for `pixelrepa info` and the benchmarks' GFLOP/s. MACs count matmuls only; FLOPs = 2 · MACs.
import { swigluHidden, type JiTConfig } from '@pixelrepa/jit';
import type { MTAConfig } from '@pixelrepa/adapter';
import type { DinoV2Config } from '@pixelrepa/encoders';

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

/** MTA MACs per image: conditioning MLP, `depth` JiT blocks over in-context + image tokens, the projection head. */
export function mtaForwardMacs(config: MTAConfig): number {
  const { hiddenSize: D, depth, inContextLen, outChannels } = config;
  const N = (config.inputSize / config.patchSize) ** 2;
  const T = N + inContextLen;
  const hidden = swigluHidden({ hiddenSize: D, mlpRatio: config.mlpRatio } as JiTConfig);
  const block = T * D * (3 * D + D + 3 * hidden) + 2 * T * T * D + D * 6 * D;
  return 256 * D + D * D + depth * block + N * (D * D + D * outChannels);
}

/**
 * MTA parameters: timestep and label embedders, in-context positions, `depth` JiT blocks, the
 * projection head (as `sum(p.numel() for p in mta.parameters())`).
 */
export function mtaParameterCount(config: MTAConfig): number {
  const { hiddenSize: D, depth, numHeads, numClasses, inContextLen, outChannels } = config;
  const hidden = swigluHidden({ hiddenSize: D, mlpRatio: config.mlpRatio } as JiTConfig);
  const linear = (i: number, o: number) => i * o + o;
  const block = D + 2 * (D / numHeads) + linear(D, 3 * D) + linear(D, D) + D + linear(D, 2 * hidden) + linear(hidden, D) + linear(D, 6 * D);
  return linear(256, D) + linear(D, D) + (numClasses + 1) * D + inContextLen * D + depth * block + linear(D, D) + 2 * D + linear(D, outChannels);
}
