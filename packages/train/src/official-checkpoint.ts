// One of our training checkpoints in the layout of the official PixelREPA code's checkpoint-*.pth
// (util/misc.py save_model): {model, optimizer, epoch, args, model_ema1, model_ema2}.
import { PythonFloat, PythonTuple, stateDict, type RawTensor, type TorchSaveValue } from '@pixelrepa/io';
import { peakLearningRate, type TrainConfig } from './config.js';

/** ImageNet-1k's training images: what one official epoch is. */
export const IMAGENET_TRAIN_IMAGES = 1_281_167;

export interface OfficialCheckpointOptions {
  config: TrainConfig;
  /** Our checkpoint's tensors (`model.net.*`, `model.<objective>.*`, `model_ema1.*`, …, `optimizer.exp_avg.<param>`). */
  tensors: ReadonlyMap<string, RawTensor>;
  /** Optimiser steps taken (AdamW's bias correction continues from it). */
  optimizerStep: number;
  /** The optimised parameters in the reference's order (`named_parameters()`), with their AdamW group (0: no decay, 1: decay). */
  parameters: ReadonlyArray<{ name: string; group: 0 | 1 }>;
  /** The epoch to record; the official `--resume` continues at epoch + 1. */
  epoch: number;
  /**
   * The frozen target encoder as the official Denoiser holds it (`repa_model.*`: timm's DINOv2
   * state dict at `repa_image_size` / `repa_patch_size`, e.g. from `loadEncoderStateDict`). The
   * official `--resume` loads `model` strictly, so without it only a non-strict load reads the file.
   */
  encoder?: OfficialEncoder;
}

/** The official code's `--repa_model`, `--repa_image_size`, `--repa_patch_size` and the weights they build. */
export interface OfficialEncoder {
  timmName: string;
  imgSize: number;
  patchSize: number;
  state: ReadonlyMap<string, RawTensor>;
}

/**
 * Builds the official checkpoint: `model` = the Denoiser's state dict (`net.*`, the adapter, and
 * the constant `scale` / `de_scale` normalisation buffers), `model_ema1` / `model_ema2` = JiT state
 * dicts, `optimizer` = `torch.optim.AdamW.state_dict()` (`state` keyed by the parameter's index in
 * `param_groups`, whose group 0 holds the no-decay parameters and group 1 the rest, as
 * `misc.add_weight_decay` builds them), `epoch`, and `args` as a dict of the reference's flag
 * names. The frozen `repa_model.*` (DINOv2) weights are written when `encoder` gives them.
 */
export function officialCheckpoint({ config, tensors, optimizerStep, parameters, epoch, encoder }: OfficialCheckpointOptions): {
  [key: string]: TorchSaveValue;
} {
  const withPrefix = (prefix: string) =>
    new Map([...tensors].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
  const model = withPrefix('model.');
  if (![...model.keys()].some((key) => key.startsWith('net.')))
    throw new Error('the checkpoint holds no model.net.* weights: is it a checkpoint of pixelrepa train?');
  const constant = (values: number[]): RawTensor => ({ dtype: 'F32', shape: [1, 3, 1, 1], data: Float32Array.from(values) });
  model.set('de_scale.mean', constant([0.5, 0.5, 0.5]));
  model.set('de_scale.std', constant([0.5, 0.5, 0.5]));
  model.set('scale.mean', constant([0.485, 0.456, 0.406]));
  model.set('scale.std', constant([0.229, 0.224, 0.225]));
  for (const [name, tensor] of encoder?.state ?? []) model.set(`repa_model.${name}`, tensor);

  const groups: [number[], number[]] = [[], []];
  const ordered = [...parameters.filter((p) => p.group === 0), ...parameters.filter((p) => p.group === 1)];
  const state = new Map<TorchSaveValue, TorchSaveValue>();
  ordered.forEach(({ name, group }, index) => {
    groups[group].push(index);
    const expAvg = tensors.get(`optimizer.exp_avg.${name}`);
    const expAvgSq = tensors.get(`optimizer.exp_avg_sq.${name}`);
    if (!expAvg || !expAvgSq) throw new Error(`the checkpoint has no AdamW moments for ${name}; was it saved by another version of pixelrepa train?`);
    if (optimizerStep > 0) state.set(index, { step: { dtype: 'F32', shape: [], data: Float32Array.of(optimizerStep) }, exp_avg: expAvg, exp_avg_sq: expAvgSq });
  });
  const lr = peakLearningRate(config);
  const group = (weightDecay: number, params: number[]) => ({
    lr: new PythonFloat(lr),
    betas: new PythonTuple(config.betas.map((beta) => new PythonFloat(beta))),
    eps: new PythonFloat(1e-8),
    weight_decay: new PythonFloat(weightDecay),
    amsgrad: false,
    foreach: null,
    maximize: false,
    capturable: false,
    differentiable: false,
    fused: null,
    params,
  });
  return {
    model: stateDict(model),
    optimizer: { state, param_groups: [group(0, groups[0]), group(config.weight_decay, groups[1])] },
    epoch,
    args: officialArgs(config, encoder),
    model_ema1: stateDict(withPrefix('model_ema1.')),
    model_ema2: stateDict(withPrefix('model_ema2.')),
  };
}

/** The reference's argparse names for what our config says (a dict: torch.load(weights_only=True) refuses argparse.Namespace). */
function officialArgs(config: TrainConfig, encoder: OfficialEncoder | undefined): { [key: string]: TorchSaveValue } {
  const overrides = (config.modelOverrides ?? {}) as { inputSize?: number; numClasses?: number };
  const args: { [key: string]: TorchSaveValue } = {
    model: typeof config.model === 'string' ? config.model : 'custom',
    P_mean: new PythonFloat(config.P_mean),
    P_std: new PythonFloat(config.P_std),
    t_eps: new PythonFloat(config.t_eps),
    noise_scale: new PythonFloat(config.noise_scale),
    label_drop_prob: new PythonFloat(config.label_drop_prob),
    blr: new PythonFloat(config.blr),
    min_lr: new PythonFloat(config.min_lr),
    warmup_epochs: config.warmup_epochs,
    lr_schedule: config.lr_schedule,
    weight_decay: new PythonFloat(config.weight_decay),
    ema_decay1: new PythonFloat(config.ema_decay1),
    ema_decay2: new PythonFloat(config.ema_decay2),
    batch_size: config.batchSize,
    seed: config.seed,
  };
  if (overrides.inputSize !== undefined) args.img_size = overrides.inputSize;
  if (encoder) Object.assign(args, { repa_model: encoder.timmName, repa_image_size: encoder.imgSize, repa_patch_size: encoder.patchSize });
  if (overrides.numClasses !== undefined) args.class_num = overrides.numClasses;
  if (config.objective === 'pixelrepa') {
    if (typeof config.adapter === 'string') args.mta = config.adapter;
    if (config.maskRatio !== undefined) args.patch_mask_ratio = new PythonFloat(config.maskRatio);
  }
  return args;
}
