import { tf } from '@pixelrepa/tensor';
import { flattenTensors, isRawTensor, type RawTensor } from '@pixelrepa/io';
import { StateDictError, tensorStateDict } from '@pixelrepa/nn';
import { jitPresets, type JiTConfig } from './config.js';
import type { JiT } from './jit.js';

/** Which weights of an official training checkpoint to use (`model_ema1` is what the paper samples with). */
export type CheckpointWeights = 'model_ema1' | 'model_ema2' | 'model';

/**
 * The JiT state dict inside whatever was read from a file: an official training checkpoint
 * (`{model, model_ema1, model_ema2, optimizer, epoch, args}`: picks `weights`, strips `net.` from
 * `model`), a Denoiser state dict (`net.*` keys), or a plain JiT state dict (e.g. safetensors).
 */
export function jitStateDict(source: Record<string, unknown> | Map<string, RawTensor>, weights: CheckpointWeights = 'model_ema1'): Map<string, RawTensor> {
  let flat: Map<string, RawTensor>;
  if (source instanceof Map) flat = source;
  else if (['model', 'model_ema1', 'model_ema2'].some((key) => key in source && !isRawTensor(source[key]))) {
    if (!(weights in source)) {
      throw new Error(`the checkpoint has no "${weights}" (it has ${Object.keys(source).join(', ')})`);
    }
    flat = flattenTensors(source[weights]);
  } else flat = flattenTensors(source);
  const keys = [...flat.keys()];
  if (keys.some((key) => key.startsWith('net.'))) {
    // A whole Denoiser: keep the JiT, drop the adapter and the encoder's buffers.
    return new Map(keys.filter((key) => key.startsWith('net.')).map((key) => [key.slice(4), flat.get(key)!]));
  }
  return flat;
}

/** What a state dict's shapes say about the model (for errors that name the right preset). */
export function describeJiTState(state: Map<string, { shape: number[] }>): { depth: number; hiddenSize?: number; patchSize?: number; preset?: string } {
  const depth = new Set([...state.keys()].map((key) => /^blocks\.(\d+)\./.exec(key)?.[1]).filter(Boolean)).size;
  const hiddenSize = state.get('t_embedder.mlp.0.weight')?.shape[0];
  const patchSize = state.get('x_embedder.proj1.weight')?.shape[2];
  const preset = Object.entries(jitPresets).find(([, c]) => c.depth === depth && c.hiddenSize === hiddenSize && c.patchSize === patchSize)?.[0];
  return { depth, hiddenSize, patchSize, preset };
}

function describeConfig(config: JiTConfig): string {
  const preset = Object.entries(jitPresets).find(
    ([, c]) => c.depth === config.depth && c.hiddenSize === config.hiddenSize && c.patchSize === config.patchSize,
  )?.[0];
  return `${preset ?? 'a custom JiT'} (depth ${config.depth}, width ${config.hiddenSize}, patch ${config.patchSize})`;
}

/**
 * Loads a JiT state dict (file tensors, PyTorch layout and names) into `model`. A checkpoint of
 * another size fails with every wrong key listed and the preset its shapes suggest.
 */
export function loadJiTWeights(model: JiT, state: Map<string, RawTensor>): void {
  const tensors = tensorStateDict(state);
  try {
    model.loadStateDict(tensors);
  } catch (error) {
    if (error instanceof StateDictError) {
      const found = describeJiTState(state);
      const suggestion = found.preset
        ? `its shapes match ${found.preset}`
        : `its shapes suggest depth ${found.depth}, width ${found.hiddenSize ?? '?'}, patch ${found.patchSize ?? '?'}`;
      throw new StateDictError(
        `${error.message}. The checkpoint does not fit this model: ${suggestion}; this model is ${describeConfig(model.config)}`,
        error.problems,
      );
    }
    throw error;
  } finally {
    tf.dispose([...tensors.values()]);
  }
}
