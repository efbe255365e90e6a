import type { RawTensor } from '@pixelrepa/io';
import type { CheckpointInfo } from '@pixelrepa/train/node';
import { describedConfig, emaPrefix, type ModelDescription } from '../src/checkpoint.ts';

export interface PageWeights {
  /** JiT weights under their PyTorch names. */
  tensors: Map<string, RawTensor>;
  /** The model description the page reads beside them. */
  description: ModelDescription;
  metadata: Record<string, string>;
}

/**
 * The part of a training checkpoint the page needs: the EMA weights it samples with (a fraction of
 * the file, which also holds the live weights, a second EMA and the optimiser's moments) and the
 * model description from the training config.
 */
export function pageWeights({ info, tensors }: { info: CheckpointInfo; tensors: Map<string, RawTensor> }, source: string): PageWeights {
  const ema = new Map([...tensors].filter(([key]) => key.startsWith(emaPrefix)).map(([key, value]) => [key.slice(emaPrefix.length), value]));
  if (ema.size === 0) throw new Error(`${source} has no EMA weights (no tensor name starts with "${emaPrefix}")`);
  const { config } = info;
  const description: ModelDescription = {
    model: config.model,
    ...(config.modelOverrides ? { modelOverrides: config.modelOverrides } : {}),
    noise_scale: config.noise_scale,
    t_eps: config.t_eps,
  };
  describedConfig(description); // fails now, with the reason, rather than in the page
  return { tensors: ema, description, metadata: { pixelrepa_export: JSON.stringify({ source, step: info.step, weights: emaPrefix.slice(0, -1) }) } };
}
