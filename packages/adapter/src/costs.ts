// The adapter's size and multiply-accumulates from its config alone (no weights are built): for
// `pixelrepa info` and the benchmarks' GFLOP/s. MACs count matmuls only; FLOPs = 2 · MACs.
import { swigluHiddenWidth } from '@pixelrepa/nn';
import type { MTAConfig } from './config.js';

/** MTA MACs per image: conditioning MLP, `depth` JiT blocks over in-context + image tokens, the projection head. */
export function mtaForwardMacs(config: MTAConfig): number {
  const { hiddenSize: D, depth, inContextLen, outChannels } = config;
  const N = (config.inputSize / config.patchSize) ** 2;
  const T = N + inContextLen;
  const hidden = swigluHiddenWidth(D, config.mlpRatio);
  const block = T * D * (3 * D + D + 3 * hidden) + 2 * T * T * D + D * 6 * D;
  return 256 * D + D * D + depth * block + N * (D * D + D * outChannels);
}

/**
 * MTA parameters: timestep and label embedders, in-context positions, `depth` JiT blocks, the
 * projection head (as `sum(p.numel() for p in mta.parameters())`).
 */
export function mtaParameterCount(config: MTAConfig): number {
  const { hiddenSize: D, depth, numHeads, numClasses, inContextLen, outChannels } = config;
  const hidden = swigluHiddenWidth(D, config.mlpRatio);
  const linear = (i: number, o: number) => i * o + o;
  const block = D + 2 * (D / numHeads) + linear(D, 3 * D) + linear(D, D) + D + linear(D, 2 * hidden) + linear(hidden, D) + linear(D, 6 * D);
  return linear(256, D) + linear(D, D) + (numClasses + 1) * D + inContextLen * D + depth * block + linear(D, D) + 2 * D + linear(D, outChannels);
}
