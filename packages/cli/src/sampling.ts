// Generating images from a loaded JiT: the flags `sample` and `eval --checkpoint` share, and the loop.
import { tf } from '@pixelrepa/tensor';
import { imageNoise, sample, toUint8Images, type CheckpointWeights } from '@pixelrepa/jit';
import { defineFlags, type FlagValues } from './flags.js';
import { jitOverrides, jitPresetName } from './flag-checks.js';
import { UsageError } from './errors.js';
import { loadJiTForSampling, type LoadedJiT } from '@pixelrepa/train/node';
import type { JiTConfig } from '@pixelrepa/jit';

export const samplingFlags = defineFlags({
  checkpoint: {
    type: 'path',
    exists: 'any',
    value: 'file|dir',
    group: 'Model',
    description: 'a checkpoint of pixelrepa train (.safetensors) or its run folder, an official .pth, or JiT weights from pixelrepa convert',
  },
  weights: {
    type: 'string',
    value: 'which',
    default: 'model_ema1',
    choices: ['model_ema1', 'model_ema2', 'model'],
    group: 'Model',
    description: 'which weights of a training checkpoint (the papers sample with model_ema1)',
  },
  model: {
    type: 'string',
    check: jitPresetName,
    value: 'preset',
    group: 'Model',
    description: 'JiT preset; needed for exported weights that do not say (default: what the checkpoint says)',
  },
  img_size: { type: 'integer', min: 1, value: 'px', group: 'Model', description: "image side (default: the checkpoint's)" },
  class_num: { type: 'integer', min: 1, value: 'n', group: 'Model', description: "number of classes (default: the checkpoint's)" },
  model_overrides: {
    type: 'json',
    check: jitOverrides,
    value: 'json',
    group: 'Model',
    description: 'other JiT config fields for custom models, e.g. \'{"depth": 2}\'',
  },
  cfg: {
    type: 'number',
    min: 0,
    value: 'w',
    group: 'Sampling',
    description: "classifier-free guidance scale (default: the checkpoint's args.cfg, else 1 = none; papers: 3.1 / 2.8 / 2.4 for PixelREPA B / L / H)",
  },
  interval_min: {
    type: 'number',
    min: 0,
    max: 1,
    value: 't',
    group: 'Sampling',
    description: "guidance only where t > interval_min (default: the checkpoint's, else 0.1)",
  },
  interval_max: {
    type: 'number',
    min: 0,
    max: 1,
    value: 't',
    group: 'Sampling',
    description: "guidance only where t < interval_max (default: the checkpoint's, else 1)",
  },
  num_sampling_steps: { type: 'integer', min: 1, value: 'n', default: 50, group: 'Sampling', description: 'ODE steps' },
  sampling_method: {
    type: 'string',
    value: 'name',
    default: 'heun',
    choices: ['heun', 'euler'],
    group: 'Sampling',
    description: 'Heun (last step Euler) or Euler',
  },
  noise_scale: { type: 'number', above: 0, value: 'x', group: 'Sampling', description: "initial noise std (default: the checkpoint's training value, else 1)" },
  t_eps: {
    type: 'number',
    above: 0,
    below: 1,
    value: 'x',
    group: 'Sampling',
    description: "floor of 1 − t in the velocity (default: the checkpoint's, else 0.05)",
  },
  seed: {
    type: 'integer',
    min: 0,
    value: 'n',
    default: 0,
    group: 'Sampling',
    description: "noise seed: image i's noise depends only on (seed, i), so any batch size or sharding gives the same images",
  },
  batch_size: {
    type: 'integer',
    min: 1,
    value: 'n',
    default: 16,
    group: 'Sampling',
    description: 'images generated at once (each step runs 2 × batch through the network)',
  },
});

export type SamplingFlagValues = FlagValues<typeof samplingFlags>;

/** Loads the model `--checkpoint` names (with the flags' overrides). */
export function loadModelFromFlags(values: SamplingFlagValues): LoadedJiT {
  if (values.checkpoint === undefined) throw new UsageError('--checkpoint is required: a run folder, a .safetensors checkpoint or an official .pth');
  const overrides = values.model_overrides;
  if (overrides !== undefined && (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))) {
    throw new UsageError(`--model_overrides must be a JSON object of JiT config fields, got ${JSON.stringify(overrides)}`);
  }
  return loadJiTForSampling({
    checkpoint: values.checkpoint,
    weights: values.weights as CheckpointWeights,
    model: values.model,
    imgSize: values.img_size,
    classNum: values.class_num,
    modelOverrides: overrides as Partial<JiTConfig> | undefined,
  });
}

/** The sampler settings: flags, else what the checkpoint says, else the reference defaults. */
export function samplerSettings(values: SamplingFlagValues, loaded: LoadedJiT) {
  const settings = {
    steps: values.num_sampling_steps,
    method: values.sampling_method as 'heun' | 'euler',
    cfg: values.cfg ?? loaded.hints.cfg ?? 1,
    interval: [values.interval_min ?? loaded.hints.intervalMin ?? 0.1, values.interval_max ?? loaded.hints.intervalMax ?? 1] as [number, number],
    noiseScale: values.noise_scale ?? loaded.hints.noiseScale ?? 1,
    tEps: values.t_eps ?? loaded.hints.tEps ?? 0.05,
  };
  if (settings.steps < 1) throw new UsageError(`--num_sampling_steps must be at least 1, got ${settings.steps}`);
  if (values.batch_size < 1) throw new UsageError(`--batch_size must be at least 1, got ${values.batch_size}`);
  return settings;
}

export type SamplerSettings = ReturnType<typeof samplerSettings>;

/** One generated batch: uint8 pixels [B, H, W, 3], their labels and their indices in the sample set. */
export interface GeneratedBatch {
  pixels: Uint8Array;
  shape: [number, number, number, number];
  labels: number[];
  indices: number[];
}

/** An image to generate: its index in the whole sample set (which fixes its noise) and its class. */
export interface ImageToGenerate {
  index: number;
  label: number;
}

/**
 * Generates the given images, `batchSize` at a time. Each image's noise depends only on
 * (`seed`, its index), so the images are the same whatever the batching or sharding (as long
 * as the backend computes each row of a batch on its own, as cpu and wasm do). `onStep(done)`
 * counts ODE steps over all batches (batches × steps in total).
 */
export async function* generateImages(
  loaded: LoadedJiT,
  images: readonly ImageToGenerate[],
  options: SamplerSettings & { batchSize: number; seed: number; onStep?: (done: number) => void },
): AsyncGenerator<GeneratedBatch> {
  const { model, config } = loaded;
  for (const { label } of images) {
    if (!(Number.isInteger(label) && label >= 0 && label < config.numClasses)) {
      throw new UsageError(`class ${label} does not exist: the model has classes 0…${config.numClasses - 1}`);
    }
  }
  let batchIndex = 0;
  for (let start = 0; start < images.length; start += options.batchSize, batchIndex++) {
    const batch = images.slice(start, start + options.batchSize);
    const labels = batch.map(({ label }) => label);
    const indices = batch.map(({ index }) => index);
    const shape: [number, number, number, number] = [batch.length, config.inputSize, config.inputSize, config.inChannels];
    const y = tf.tensor1d(labels, 'int32');
    const noise = imageNoise(options.seed, indices, [config.inputSize, config.inputSize, config.inChannels]);
    const before = batchIndex * options.steps;
    const { steps, method, cfg, interval, noiseScale, tEps } = options;
    const generated = sample(model, { labels: y, noise, steps, method, cfg, interval, noiseScale, tEps, onStep: (step) => options.onStep?.(before + step) });
    const quantised = toUint8Images(generated);
    tf.dispose([y, noise, generated]);
    const values = await quantised.data();
    quantised.dispose();
    yield { pixels: Uint8Array.from(values), shape, labels, indices };
  }
}
