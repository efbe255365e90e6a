import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { dinov2Preset, dinov2Presets } from '@pixelrepa/encoders';
import { loadEncoderStateDict } from '@pixelrepa/encoders/node';
import { flattenTensors, isRawTensor, writeTorchCheckpoint, type CheckpointValue, type RawTensor } from '@pixelrepa/io';
import { readTorchCheckpointFile, writeFileAtomic, writeSafetensorsFile } from '@pixelrepa/io/node';
import { initBackend } from '@pixelrepa/tensor';
import { IMAGENET_TRAIN_IMAGES, buildTrainingModules, officialCheckpoint, trainConfigModel, type OfficialEncoder, type TrainConfig } from '@pixelrepa/train';
import { describeJiTState, jitStateDict, type CheckpointWeights } from '@pixelrepa/jit';
import { exportedModelKey, readCheckpoint, readCheckpointInfo, resolveResumePath, trainingCheckpointWeights } from '@pixelrepa/train/node';
import { defineCommand, type OutputStream } from '../context.js';
import { UsageError } from '../errors.js';
import { defineFlags, readFlagsFile, type FlagValues } from '../flags.js';
import { dinov2TargetGeometry } from '../load-encoder.js';
import { downloadProgress } from '../progress.js';
import { trainFlags } from './train-flags.js';

const convertFlags = defineFlags({
  weights: {
    type: 'string',
    value: 'which',
    default: 'model_ema1',
    choices: ['model_ema1', 'model_ema2', 'model'],
    description: 'which JiT weights to export (model: the live weights, net.* of the Denoiser)',
  },
  all: { type: 'boolean', description: 'write every tensor of a .pth (model, both EMAs, optimizer) under dotted paths instead' },
  widen_half: { type: 'boolean', description: 'store F16 / BF16 tensors as F32 (exact); default keeps their 16-bit values' },
  to: {
    type: 'string',
    value: 'format',
    default: 'safetensors',
    choices: ['safetensors', 'pth'],
    description:
      "pth: write a pixelrepa train checkpoint as the official code's checkpoint-last.pth (model, model_ema1, model_ema2, optimizer, epoch, args) for main_pixelREPA.py --resume",
  },
  epoch: {
    type: 'integer',
    value: 'n',
    description: 'with --to pth: the epoch to record (--resume continues at epoch + 1); default: the ImageNet-1k epochs the steps completed, minus 1',
  },
  encoder_weights: {
    type: 'path',
    exists: 'file',
    value: 'file',
    description: "with --to pth: the DINOv2 weights to write as repa_model.* (default: the run's --encoder_weights, else the cache/download)",
  },
  offline: { type: 'boolean', description: 'with --to pth: never download the DINOv2 weights (they must be in the cache or given)' },
  cache_dir: { type: 'path', value: 'dir', description: "with --to pth: the download cache (default: the run's, else $PIXELREPA_CACHE or ~/.cache/pixelrepa)" },
});

export const convertCommand = defineCommand(
  {
    name: 'convert',
    summary: 'export JiT weights (an EMA by default) of an official .pth or of a pixelrepa train run to PyTorch-named safetensors',
    usage: '<in.pth|checkpoint.safetensors|run-dir> <out.safetensors|out.pth> [flags]',
    description: [
      "Writes the chosen JiT weights under their PyTorch names (blocks.0.attn.qkv.weight, …, the names of JiT's state_dict)",
      'with the exact values, in PyTorch layout, so torch / safetensors users load them with load_state_dict. The input is an',
      'official torch.save checkpoint (read with a restricted unpickler: nothing in it is executed) or a checkpoint of',
      'pixelrepa train (a file, or a run folder: its newest). The model (preset or full config), img_size, class_num and',
      'sampling args go into the metadata, so pixelrepa sample --checkpoint out.safetensors needs no --model.',
      'With --to pth it goes the other way: a checkpoint of pixelrepa train becomes the official training checkpoint, with',
      "PyTorch names and layouts and torch AdamW's state, readable by torch.load(weights_only=True).",
    ].join('\n'),
    positionals: [
      {
        name: 'in',
        description:
          'a torch.save checkpoint ({model, model_ema1, model_ema2, optimizer, args, …}) or bare state dict; or a pixelrepa train checkpoint or run folder',
      },
      { name: 'out', description: 'where to write (atomically): .safetensors, or .pth with --to pth' },
    ],
    flags: convertFlags,
    examples: [
      'pixelrepa convert checkpoint-last.pth jit-b16-ema1.safetensors --weights model_ema1',
      'pixelrepa convert checkpoint-last.pth everything.safetensors --all',
      'pixelrepa convert runs/quickstart jit-ema1.safetensors          # the newest checkpoint of a run',
      'pixelrepa convert runs/b16 output_dir/checkpoint-last.pth --to pth   # then: python main_pixelREPA.py --resume output_dir …',
    ],
  },
  async ({ values, positionals }, context) => {
    if (positionals.length !== 2)
      throw new UsageError(`convert takes an input .pth and an output .safetensors, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
    const [input, output] = positionals.map((path) => resolve(context.cwd, path));
    if (values.to === 'pth') return writeOfficialCheckpoint(input, output, values, context.stderr);
    if (extname(output) !== '.safetensors') throw new UsageError(`the output ${output} should end in .safetensors`);
    const weights = values.weights as CheckpointWeights;
    let tensors: Map<string, RawTensor>;
    const metadata: Record<string, string> = { format: 'pt' };
    const ours = trainingCheckpoint(input);
    if (ours) {
      if (values.all) throw new UsageError(`${ours} is already safetensors with every tensor of the run; --all is for .pth files`);
      tensors = exportTrainingWeights(ours, weights, metadata);
    } else if (values.all) {
      const checkpoint = readTorchCheckpointFile(input, { widenHalf: values.widen_half });
      tensors = flattenTensors(checkpoint);
      Object.assign(metadata, plainValues(checkpoint));
    } else {
      const checkpoint = readSelected(input, weights, values.widen_half);
      tensors = jitStateDict(checkpoint, weights);
      const args = checkpoint.args;
      metadata[exportedModelKey] = JSON.stringify({
        weights,
        source: input,
        ...(args && typeof args === 'object' && !isRawTensor(args) ? (jsonSafe(args) as object) : {}),
      });
      const shapes = describeJiTState(tensors);
      if (shapes.depth === 0) throw new UsageError(`${input}: "${weights}" holds no JiT blocks (blocks.N.*); is it a JiT / PixelREPA checkpoint?`);
    }
    if (tensors.size === 0) throw new UsageError(`${input} holds no tensors`);
    writeSafetensorsFile(output, tensors, metadata);
    const bytes = [...tensors.values()].reduce((sum, tensor) => sum + tensor.data.byteLength, 0);
    context.stderr.write(`wrote ${tensors.size} tensors (${(bytes / 1e6).toFixed(1)} MB) to ${output}\n`);
    return 0;
  },
);

/** `--to pth`: one of our checkpoints as the official code's training checkpoint. */
async function writeOfficialCheckpoint(input: string, output: string, values: FlagValues<typeof convertFlags>, stderr: OutputStream): Promise<number> {
  if (extname(output) !== '.pth')
    throw new UsageError(`with --to pth the output ${output} should end in .pth (the official code resumes from <dir>/checkpoint-last.pth)`);
  const ours = trainingCheckpoint(input);
  if (!ours) throw new UsageError(`${input} is not a checkpoint of pixelrepa train; --to pth converts those (an official .pth needs no converting)`);
  const { info, tensors, optimizerStep } = readCheckpoint(ours);
  const targetWidth = info.extra.targetWidth as number | undefined;
  const encoder = await officialEncoder(ours, info.config, targetWidth, values, stderr);
  // The parameters' order and AdamW groups are the modules' own: build them (on the cpu backend; no weights are computed).
  await initBackend('cpu');
  const modules = buildTrainingModules(info.config, { targetWidth, statePlacement: 'host' });
  let checkpoint;
  try {
    checkpoint = officialCheckpoint({
      config: info.config,
      tensors,
      optimizerStep,
      parameters: modules.parameters.map(({ name, group }) => ({ name, group })),
      epoch: values.epoch ?? Math.floor((info.step * info.config.batchSize) / IMAGENET_TRAIN_IMAGES) - 1,
      encoder,
    });
  } finally {
    modules.dispose();
  }
  const bytes = writeTorchCheckpoint(checkpoint, { name: basename(output, '.pth') });
  mkdirSync(dirname(output), { recursive: true });
  writeFileAtomic(output, bytes);
  stderr.write(
    `wrote ${output} (${(bytes.length / 1e6).toFixed(1)} MB): step ${info.step} as epoch ${String(checkpoint.epoch)}, ${modules.parameters.length} optimised parameters${encoder ? `, repa_model.* = ${encoder.timmName} at ${encoder.imgSize} px, patch ${encoder.patchSize}` : ''}\n`,
  );
  return 0;
}

/**
 * The frozen encoder the official Denoiser holds as `repa_model.*` (its `--resume` loads `model`
 * strictly): the run's DINOv2 (from its flags.json), with the weights it was trained against.
 * A run without alignment, or aligned to a SmallViT, has none: said, and the file is written without.
 */
async function officialEncoder(
  checkpointPath: string,
  config: TrainConfig,
  targetWidth: number | undefined,
  values: FlagValues<typeof convertFlags>,
  stderr: OutputStream,
): Promise<OfficialEncoder | undefined> {
  if ((config.objective ?? 'pixelrepa') === 'none') {
    stderr.write(
      'note: this run has no alignment; the official Denoiser still builds repa_model (DINOv2) and its strict --resume expects repa_model.* in "model": load with strict=False, or convert a run of --objective pixelrepa\n',
    );
    return undefined;
  }
  const runDir = dirname(dirname(checkpointPath));
  const flagsPath = join(runDir, 'flags.json');
  const flags = existsSync(flagsPath) ? readFlagsFile({ name: 'train', flags: trainFlags }, flagsPath) : {};
  const name = flags.encoder ?? trainFlags.encoder.default;
  if (!(name in dinov2Presets)) {
    stderr.write(
      `note: this run aligned to ${name}, not a DINOv2, so the official code (whose repa_model is timm's DINOv2) cannot resume it as it is; the file holds no repa_model.*\n`,
    );
    return undefined;
  }
  const model = trainConfigModel(config);
  const geometry = dinov2TargetGeometry(model.inputSize / model.patchSize);
  const { config: encoderConfig, state } = await loadEncoderStateDict(name, {
    ...geometry,
    weightsFile: values.encoder_weights ?? flags.encoder_weights,
    offline: values.offline || flags.offline,
    cacheDir: values.cache_dir ?? flags.cache_dir,
    onProgress: downloadProgress(stderr),
  });
  if (targetWidth !== undefined && encoderConfig.embedDim !== targetWidth) {
    throw new UsageError(
      `the run was trained against ${targetWidth}-d target tokens but ${encoderConfig.label} gives ${encoderConfig.embedDim}-d ones; give the encoder it was trained with (--encoder_weights)`,
    );
  }
  return { timmName: dinov2Preset(name).timmName, state, ...geometry };
}

/** A checkpoint of pixelrepa train (file or run folder → its newest), or undefined for other inputs. */
function trainingCheckpoint(input: string): string | undefined {
  if (!existsSync(input)) throw new UsageError(`${input} does not exist`);
  if (statSync(input).isDirectory()) {
    try {
      return resolveResumePath(input);
    } catch (error) {
      throw new UsageError(`${(error as Error).message.replace(/^cannot resume: /, '')}; convert takes a .pth, a checkpoint file or a run folder`);
    }
  }
  return extname(input) === '.safetensors' && readCheckpointInfo(input) ? input : undefined;
}

/** The JiT weights of one of our checkpoints under PyTorch names, and the run's model in the metadata. */
function exportTrainingWeights(path: string, weights: CheckpointWeights, metadata: Record<string, string>): Map<string, RawTensor> {
  const { info, tensors } = readCheckpoint(path);
  const state = trainingCheckpointWeights(path, tensors, weights);
  const config = trainConfigModel(info.config);
  metadata[exportedModelKey] = JSON.stringify({
    weights,
    source: path,
    step: info.step,
    ...(typeof info.config.model === 'string' ? { model: info.config.model } : {}),
    model_config: config,
    img_size: config.inputSize,
    class_num: config.numClasses,
    noise_scale: info.config.noise_scale,
    t_eps: info.config.t_eps,
  });
  return state;
}

/** The weights asked for and the run's args; a checkpoint without args is fine. */
function readSelected(path: string, weights: CheckpointWeights, widenHalf: boolean): { [key: string]: CheckpointValue } {
  try {
    return readTorchCheckpointFile(path, { select: [weights, 'args'], widenHalf });
  } catch (error) {
    const message = (error as Error).message;
    if (/top-level key "args"/.test(message) && !message.includes(`"${weights}"`)) return readTorchCheckpointFile(path, { select: [weights], widenHalf });
    if (/select needs a checkpoint that is a dict/.test(message))
      throw new UsageError(`${path} is not a dict of named weights; nothing to select "${weights}" from`);
    if (/top-level key/.test(message)) throw new UsageError(`${path} has no "${weights}": ${message}. Choose another --weights, or --all to write everything`);
    throw error;
  }
}

/** The checkpoint's non-tensor values at the top level (epoch, args, …) as metadata JSON strings. */
function plainValues(checkpoint: { [key: string]: CheckpointValue }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(checkpoint)) {
    if (typeof value !== 'object' || value === null) out[key] = JSON.stringify(jsonSafe(value));
    else if (key === 'args' && !isRawTensor(value)) out[key] = JSON.stringify(jsonSafe(value));
  }
  return out;
}

/** bigint → number (or string when too large), Maps → objects; tensors left out. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (isRawTensor(value) || ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) return value.map(jsonSafe);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Object.fromEntries(entries.map(([k, v]) => [String(k), jsonSafe(v)]).filter(([, v]) => v !== undefined));
}
