// Starting a new run from trained weights: an official PixelREPA / JiT `.pth` (the JiT, both EMAs,
// for PixelREPA the adapter, and AdamW's moments and step) or JiT weights in safetensors.
import { extname } from 'node:path';
import { flattenTensors, type CheckpointValue, type RawTensor } from '@pixelrepa/io';
import { readSafetensorsFile, readTorchCheckpointFile } from '@pixelrepa/io/node';
import { jitStateDict, loadJiTWeights } from '@pixelrepa/jit';
import { tensorStateDict } from '@pixelrepa/nn';
import { tf } from '@pixelrepa/tensor';
import { CheckpointInputError } from '../errors.js';
import type { TrainingModules } from '../setup.js';
import { loadTorchAdamW } from '../torch-adamw.js';

/** What was taken from the file, for the command's message. */
export interface InitializedFrom {
  parts: string[];
}

export interface InitializeOptions {
  /** Leave AdamW at zero even when the checkpoint has an optimizer state. */
  freshOptimizer?: boolean;
}

/**
 * Loads `path` into freshly built modules: the JiT from `model` (its `net.*`), each EMA from
 * `model_ema1` / `model_ema2` (or from the loaded JiT when the file has none), the PixelREPA
 * adapter from `model`'s `masked_transformer_adapter.*` when present, and AdamW's moments and
 * step from `optimizer` (unless `freshOptimizer`). The learning-rate schedule is the new run's.
 */
export function initializeFrom(modules: TrainingModules, path: string, { freshOptimizer = false }: InitializeOptions = {}): InitializedFrom {
  const parts: string[] = [];
  let model: Map<string, RawTensor>;
  let optimizer: CheckpointValue | undefined;
  let emas: Array<Map<string, RawTensor> | undefined> = [undefined, undefined];
  if (extname(path) === '.safetensors') {
    const file = readSafetensorsFile(path, { widenHalf: true });
    if (file.metadata.pixelrepa)
      throw new CheckpointInputError(`${path} is a checkpoint of pixelrepa train: continue it with --resume ${path} instead of --init_from`);
    model = file.tensors;
  } else {
    const checkpoint = readTorchCheckpointFile(path, { widenHalf: true });
    if (!('model' in checkpoint))
      throw new CheckpointInputError(
        `${path} has no "model" (it has ${Object.keys(checkpoint).join(', ')}); --init_from takes an official training checkpoint or JiT weights`,
      );
    model = flattenTensors(checkpoint.model);
    emas = (['model_ema1', 'model_ema2'] as const).map((key) => (key in checkpoint ? flattenTensors(checkpoint[key]) : undefined));
    optimizer = checkpoint.optimizer;
  }
  loadJiTWeights(modules.jit, jitStateDict(model));
  parts.push('the JiT');
  modules.emas.forEach((ema, i) => {
    const state = tensorStateDict(emas[i] ?? jitStateDict(model));
    try {
      ema.loadStateDict(state);
    } finally {
      tf.dispose([...state.values()]);
    }
    parts.push(emas[i] ? `model_ema${i + 1}` : `EMA ${i + 1} (from the JiT)`);
  });
  const adapter = new Map([...model].filter(([key]) => key.startsWith('masked_transformer_adapter.')));
  if (modules.objective?.kind === 'pixelrepa' && adapter.size > 0) {
    const state = tensorStateDict(adapter);
    try {
      modules.objective.loadStateDict(state, {
        context: 'the adapter in the checkpoint does not fit --mta; the adapter of this run follows the model and the encoder width',
      });
    } finally {
      tf.dispose([...state.values()]);
    }
    parts.push('the adapter');
  }
  if (optimizer !== undefined && optimizer !== null && !freshOptimizer) {
    try {
      const loaded = loadTorchAdamW(modules.optimizer, modules.parameters, optimizer);
      const notes = [
        loaded.unmatched ? `${loaded.unmatched} of its parameters have no counterpart here` : '',
        loaded.zero ? `${loaded.zero} start at zero` : '',
      ].filter(Boolean);
      parts.push(`AdamW (step ${loaded.step}, ${loaded.loaded} parameters${notes.length ? `; ${notes.join(', ')}` : ''})`);
    } catch (error) {
      throw new CheckpointInputError(`${path}: ${(error as Error).message}. Pass --fresh_optimizer to start AdamW from zero`);
    }
  }
  return { parts };
}
