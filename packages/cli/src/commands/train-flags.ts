import { dinov2Presets } from '@pixelrepa/encoders';
import { backendFlags } from '../backend.js';
import { defaultTrainConfig } from '@pixelrepa/train';
import { trainRecipes } from './train-recipes.js';
import { recipeDefault } from './train-fields.js';
import { defineFlags } from '../flags.js';
import { jitOverrides, jitPresetName, mtaPresetName } from '../flag-checks.js';

/**
 * `pixelrepa train`'s flags: the reference's names (main_pixelREPA.py); the defaults of the flags
 * that set a config field are read from @pixelrepa/train's one table (`defaultTrainConfig`,
 * `referenceRun`), so they cannot drift from what the library does without flags.
 */
export const trainFlags = defineFlags({
  recipe: { type: 'string', value: 'name', choices: Object.keys(trainRecipes), description: `a named run (@pixelrepa/train's recipes, the same that npm start trains); the flags given override it. ${Object.entries(trainRecipes).map(([name, recipe]) => `${name} = ${recipe.description}`).join('; ')}` },
  model: { type: 'string', check: jitPresetName, value: 'preset', default: recipeDefault('model') as string, group: 'Model', description: 'JiT preset (pixelrepa info lists them)' },
  img_size: { type: 'integer', min: 1, value: 'px', group: 'Model', description: 'image side (default: the preset\'s, 256 for JiT-*/16)' },
  class_num: { type: 'integer', min: 1, value: 'n', group: 'Model', description: 'number of classes (default: the preset\'s, 1000 for ImageNet presets)' },
  model_overrides: { type: 'json', check: jitOverrides, value: 'json', group: 'Model', description: 'other JiT config fields, e.g. \'{"depth": 2, "hiddenSize": 96, "numHeads": 2}\'' },
  objective: { type: 'string', value: 'kind', default: recipeDefault('objective') as 'pixelrepa' | 'repa' | 'none', choices: ['pixelrepa', 'repa', 'none'], group: 'Alignment', description: 'representation alignment: PixelREPA (masked transformer adapter), REPA (MLP projector) or none' },
  mta: { type: 'string', check: mtaPresetName, value: 'preset', default: recipeDefault('mta') as string, group: 'Alignment', description: 'PixelREPA adapter preset (its width, heads and classes follow the model)' },
  patch_mask_ratio: { type: 'number', min: 0, below: 1, value: 'r', default: recipeDefault('patch_mask_ratio') as number, group: 'Alignment', description: 'PixelREPA: probability that a token is replaced by the mask token' },
  align_weight: { type: 'number', min: 0, value: 'λ', group: 'Alignment', description: 'weight of the alignment loss (default 0.1 for pixelrepa, 0.5 for repa)' },
  encoder: { type: 'path', exists: 'file', keywords: Object.keys(dinov2Presets), value: 'name|file', default: 'dinov2-vitb14', group: 'Alignment', description: 'target encoder: a DINOv2 name, or a SmallViT .safetensors file' },
  encoder_weights: { type: 'path', exists: 'file', value: 'file', group: 'Alignment', description: 'local DINOv2 weights (timm or Hugging Face safetensors, or .pth) instead of the cache/download' },
  offline: { type: 'boolean', group: 'Alignment', description: 'never download (encoder weights must be in the cache or given)' },
  cache_dir: { type: 'path', value: 'dir', group: 'Alignment', description: 'download cache (default $PIXELREPA_CACHE or ~/.cache/pixelrepa)' },
  P_mean: { type: 'number', value: 'x', default: recipeDefault('P_mean') as number, group: 'Diffusion', description: 'mean of the logit-normal time distribution' },
  P_std: { type: 'number', above: 0, value: 'x', default: recipeDefault('P_std') as number, group: 'Diffusion', description: 'std of the logit-normal time distribution' },
  t_eps: { type: 'number', above: 0, below: 1, value: 'x', default: recipeDefault('t_eps') as number, group: 'Diffusion', description: 'floor of 1 − t in the velocity' },
  noise_scale: { type: 'number', above: 0, value: 'x', default: recipeDefault('noise_scale') as number, group: 'Diffusion', description: 'noise std (the papers use img_size / 256)' },
  label_drop_prob: { type: 'number', min: 0, below: 1, value: 'p', default: recipeDefault('label_drop_prob') as number, group: 'Diffusion', description: 'label dropout for classifier-free guidance' },
  batch_size: { type: 'integer', min: 1, value: 'n', default: recipeDefault('batch_size') as number, group: 'Optimisation', description: 'images per step' },
  steps: { type: 'integer', min: 1, value: 'n', group: 'Optimisation', description: 'optimisation steps (default: --epochs × steps per epoch)' },
  epochs: { type: 'number', above: 0, value: 'n', group: 'Optimisation', description: 'epochs (sets --steps when it is not given; the cosine schedule spans them)' },
  blr: { type: 'number', min: 0, value: 'lr', default: recipeDefault('blr') as number, group: 'Optimisation', description: 'base learning rate: lr = blr · batch_size / 256' },
  lr: { type: 'number', min: 0, value: 'lr', group: 'Optimisation', description: 'absolute learning rate (overrides --blr)' },
  min_lr: { type: 'number', min: 0, value: 'lr', default: recipeDefault('min_lr') as number, group: 'Optimisation', description: 'floor of the cosine schedule' },
  warmup_epochs: { type: 'number', min: 0, value: 'n', default: recipeDefault('warmup_epochs') as number, group: 'Optimisation', description: 'linear warm-up from 0' },
  lr_schedule: { type: 'string', value: 'kind', default: recipeDefault('lr_schedule') as 'constant' | 'cosine', choices: ['constant', 'cosine'], group: 'Optimisation', description: 'after warm-up' },
  weight_decay: { type: 'number', min: 0, value: 'x', default: recipeDefault('weight_decay') as number, group: 'Optimisation', description: 'AdamW decoupled weight decay (not on biases, norms, embeddings)' },
  betas: { type: 'numbers', count: 2, min: 0, below: 1, value: 'b1,b2', default: [...defaultTrainConfig.betas], group: 'Optimisation', description: 'AdamW betas' },
  ema_decay1: { type: 'number', min: 0, below: 1, value: 'x', default: recipeDefault('ema_decay1') as number, group: 'Optimisation', description: 'first EMA (used for sampling)' },
  ema_decay2: { type: 'number', min: 0, below: 1, value: 'x', default: recipeDefault('ema_decay2') as number, group: 'Optimisation', description: 'second EMA' },
  seed: { type: 'integer', min: 0, value: 'n', default: recipeDefault('seed') as number, group: 'Optimisation', description: 'initial weights, data order and every random draw' },
  data_path: { type: 'path', exists: 'dir', value: 'dir', group: 'Data', description: 'image folder (root/<class>/<image>) or packed cache (pixelrepa prepare); with --data fashion-mnist, the folder of its official files' },
  data: { type: 'string', value: 'name', choices: ['procedural', 'fashion-mnist'], group: 'Data', description: 'a built-in dataset instead of --data_path (fashion-mnist: the official files, from /usr/share/datasets/fashion-mnist unless --data_path)' },
  data_split: { type: 'string', value: 'split', choices: ['train', 'test'], group: 'Data', description: 'with --data fashion-mnist: which official split (default train; the quickstart trains on test)' },
  data_length: { type: 'integer', min: 1, value: 'n', group: 'Data', description: 'procedural: number of images (default 1000 per class)' },
  num_workers: { type: 'integer', min: 0, value: 'n', group: 'Data', description: 'image decoding threads (default: cores − 1, 1…4)' },
  output_dir: { type: 'path', value: 'dir', default: './output_dir', group: 'Run', description: 'log.jsonl, flags.json and checkpoints/' },
  init_from: { type: 'path', exists: 'file', value: 'file', group: 'Run', description: 'start a new run from trained weights: an official .pth (JiT, both EMAs, the PixelREPA adapter and AdamW\'s moments and step) or JiT safetensors' },
  fresh_optimizer: { type: 'boolean', group: 'Run', description: 'with --init_from: start AdamW from zero instead of the checkpoint\'s optimizer state' },
  resume: { type: 'path', value: 'file|dir', group: 'Run', description: 'continue a run from a checkpoint or run folder (must exist); its saved config is used, --steps may extend it' },
  state_placement: { type: 'string', value: 'where', default: 'auto', choices: ['auto', 'device', 'host'], group: 'Run', description: 'where AdamW moments and EMAs live: device tensors, or host memory (off wasm\'s 4 GB heap; same numbers); auto = host on wasm when they exceed 1 GiB' },
  checkpoint_every: { type: 'integer', min: 1, value: 'n', default: recipeDefault('checkpoint_every') as number, group: 'Run', description: 'write a checkpoint every n steps (and at the end)' },
  keep_last: { type: 'integer', min: 1, value: 'n', default: recipeDefault('keep_last') as number, group: 'Run', description: 'checkpoints kept (older ones are removed)' },
  ...backendFlags,
});
