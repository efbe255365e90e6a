import { extname, resolve } from 'node:path';
import { flattenTensors, isRawTensor, type CheckpointValue, type RawTensor } from '@pixelrepa/io';
import { readTorchCheckpointFile, writeSafetensorsFile } from '@pixelrepa/io/node';
import { describeJiTState, jitStateDict, type CheckpointWeights } from '@pixelrepa/jit';
import { defineCommand } from '../context.js';
import { UsageError } from '../errors.js';
import { defineFlags } from '../flags.js';
import { exportedModelKey } from '../load-model.js';

const convertFlags = defineFlags({
  weights: { type: 'string', value: 'which', default: 'model_ema1', choices: ['model_ema1', 'model_ema2', 'model'], description: 'which JiT weights to export (model: the live weights, net.* of the Denoiser)' },
  all: { type: 'boolean', description: 'write every tensor of the checkpoint (model, both EMAs, optimizer) under dotted paths instead' },
  widen_half: { type: 'boolean', description: 'store F16 / BF16 tensors as F32 (exact); default keeps their 16-bit values' },
});

export const convertCommand = defineCommand({
  name: 'convert',
  summary: 'convert an official PyTorch .pth checkpoint to safetensors',
  usage: '<in.pth> <out.safetensors> [flags]',
  description: [
    'Reads the checkpoint with a restricted unpickler (nothing in it is executed) and writes the JiT weights under their',
    'PyTorch names (blocks.0.attn.qkv.weight, …) with the exact values. The checkpoint\'s args (model, img_size, class_num,',
    'cfg, …) go into the metadata, so pixelrepa sample --checkpoint out.safetensors needs no --model.',
  ].join('\n'),
  positionals: [
    { name: 'in.pth', description: 'a torch.save checkpoint ({model, model_ema1, model_ema2, optimizer, args, …}) or a bare state dict' },
    { name: 'out.safetensors', description: 'where to write (atomically)' },
  ],
  flags: convertFlags,
  examples: [
    'pixelrepa convert checkpoint-last.pth jit-b16-ema1.safetensors --weights model_ema1',
    'pixelrepa convert checkpoint-last.pth everything.safetensors --all',
  ],
}, async ({ values, positionals }, context) => {
  if (positionals.length !== 2) throw new UsageError(`convert takes an input .pth and an output .safetensors, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
  const [input, output] = positionals.map((path) => resolve(context.cwd, path));
  if (extname(output) !== '.safetensors') throw new UsageError(`the output ${output} should end in .safetensors`);
  const weights = values.weights as CheckpointWeights;
  let tensors: Map<string, RawTensor>;
  const metadata: Record<string, string> = { format: 'pt' };
  if (values.all) {
    const checkpoint = readTorchCheckpointFile(input, { widenHalf: values.widen_half });
    tensors = flattenTensors(checkpoint);
    Object.assign(metadata, plainValues(checkpoint));
  } else {
    const checkpoint = readSelected(input, weights, values.widen_half);
    tensors = jitStateDict(checkpoint, weights);
    const args = checkpoint.args;
    metadata[exportedModelKey] = JSON.stringify({ weights, source: input, ...(args && typeof args === 'object' && !isRawTensor(args) ? jsonSafe(args) as object : {}) });
    const shapes = describeJiTState(tensors);
    if (shapes.depth === 0) throw new UsageError(`${input}: "${weights}" holds no JiT blocks (blocks.N.*); is it a JiT / PixelREPA checkpoint?`);
  }
  if (tensors.size === 0) throw new UsageError(`${input} holds no tensors`);
  writeSafetensorsFile(output, tensors, metadata);
  const bytes = [...tensors.values()].reduce((sum, tensor) => sum + tensor.data.byteLength, 0);
  context.stderr.write(`wrote ${tensors.size} tensors (${(bytes / 1e6).toFixed(1)} MB) to ${output}\n`);
  return 0;
});

/** The weights asked for and the run's args; a checkpoint without args is fine. */
function readSelected(path: string, weights: CheckpointWeights, widenHalf: boolean): { [key: string]: CheckpointValue } {
  try {
    return readTorchCheckpointFile(path, { select: [weights, 'args'], widenHalf });
  } catch (error) {
    const message = (error as Error).message;
    if (/top-level key "args"/.test(message) && !message.includes(`"${weights}"`)) return readTorchCheckpointFile(path, { select: [weights], widenHalf });
    if (/select needs a checkpoint that is a dict/.test(message)) throw new UsageError(`${path} is not a dict of named weights; nothing to select "${weights}" from`);
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
