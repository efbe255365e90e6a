// What the page can sample from: one safetensors file, either a PixelREPA.ts training checkpoint
// (its "pixelrepa" metadata holds the training config; `model_ema1.*` are the EMA weights the
// papers sample with) or plain JiT weights with a model description beside them (a JSON file).
import { readSafetensors, type RawTensor } from '@pixelrepa/io';
import { jitConfig, jitStateDict, validateJiTConfig, type JiTConfig } from '@pixelrepa/jit';

/**
 * The model description of plain JiT weights: the fields of a training config that say which
 * model it is (`model` a preset name or a full config, `modelOverrides`) and how it was trained.
 */
export interface ModelDescription {
  model: string | JiTConfig;
  modelOverrides?: Partial<JiTConfig>;
  /** Standard deviation of the noise at t = 0 (default 1). */
  noise_scale?: number;
  /** Lower bound of 1 − t in the velocity (default 0.05). */
  t_eps?: number;
}

export interface PageCheckpoint {
  config: JiTConfig;
  /** JiT weights under their PyTorch names, as read from the file. */
  state: Map<string, RawTensor>;
  noiseScale: number;
  tEps: number;
  /** In words, for the page: `training checkpoint, step 400, model_ema1 weights`. */
  description: string;
}

/** The weights of a training checkpoint the page samples with. */
export const emaPrefix = 'model_ema1.';

/** The JiT config a model description (or a training config) names. */
export function describedConfig(description: ModelDescription): JiTConfig {
  if (typeof description.model === 'string') return jitConfig(description.model, description.modelOverrides);
  if (description.model && typeof description.model === 'object') return { ...description.model, ...description.modelOverrides };
  throw new Error(`the model description has no "model" (a preset name such as "JiT-B/16", or a JiT config); got ${JSON.stringify(description).slice(0, 200)}`);
}

/**
 * Reads a checkpoint file. `describe` is called only for plain JiT weights (a training checkpoint
 * describes itself), e.g. to fetch the JSON written beside them by `export-checkpoint`.
 */
export async function readPageCheckpoint(bytes: Uint8Array, describe?: () => Promise<ModelDescription>): Promise<PageCheckpoint> {
  const file = readSafetensors(bytes, { widenHalf: true });
  const training = file.metadata.pixelrepa;
  let state: Map<string, RawTensor>;
  let described: ModelDescription;
  let words: string;
  if (training) {
    const info = JSON.parse(training) as { step?: number; config?: ModelDescription };
    if (!info.config) throw new Error('the checkpoint\'s "pixelrepa" metadata has no training config');
    state = new Map([...file.tensors].filter(([key]) => key.startsWith(emaPrefix)).map(([key, value]) => [key.slice(emaPrefix.length), value]));
    if (state.size === 0) throw new Error(`this training checkpoint has no EMA weights (no tensor name starts with "${emaPrefix}")`);
    described = info.config;
    words = `training checkpoint, step ${info.step ?? '?'}, ${emaPrefix.slice(0, -1)} weights`;
  } else if (describe) {
    state = jitStateDict(file.tensors);
    described = await describe();
    words = 'JiT weights with a model description';
  } else {
    throw new Error(
      'this safetensors file is not a PixelREPA.ts training checkpoint (no "pixelrepa" metadata), and no model description (config JSON) came with it: ' +
        'give its URL (?config=…), or export the weights with `npm run -w @pixelrepa/example-browser export-checkpoint -- <checkpoint>`, which writes both',
    );
  }
  const config = describedConfig(described);
  validateJiTConfig(config);
  return { config, state, noiseScale: described.noise_scale ?? 1, tEps: described.t_eps ?? 0.05, description: words };
}
