// Starting a new run from trained weights: an official PixelREPA / JiT `.pth` (the JiT, both EMAs
// and, for PixelREPA, the adapter) or JiT weights in safetensors. The optimiser starts fresh.
import { extname } from 'node:path';
import { flattenTensors, type RawTensor } from '@pixelrepa/io';
import { readSafetensorsFile, readTorchCheckpointFile } from '@pixelrepa/io/node';
import { jitStateDict, loadJiTWeights } from '@pixelrepa/jit';
import { tensorStateDict } from '@pixelrepa/nn';
import { tf } from '@pixelrepa/tensor';
import type { TrainingModules } from '@pixelrepa/train';
import { UsageError } from './errors.js';

/** What was taken from the file, for the command's message. */
export interface InitializedFrom {
  parts: string[];
}

/**
 * Loads `path` into freshly built modules: the JiT from `model` (its `net.*`), each EMA from
 * `model_ema1` / `model_ema2` (or from the loaded JiT when the file has none), and the PixelREPA
 * adapter from `model`'s `masked_transformer_adapter.*` when present.
 */
export function initializeFrom(modules: TrainingModules, path: string): InitializedFrom {
  const parts: string[] = [];
  let model: Map<string, RawTensor>;
  let emas: Array<Map<string, RawTensor> | undefined> = [undefined, undefined];
  if (extname(path) === '.safetensors') {
    const file = readSafetensorsFile(path, { widenHalf: true });
    if (file.metadata.pixelrepa) throw new UsageError(`${path} is a checkpoint of pixelrepa train: continue it with --resume ${path} instead of --init_from`);
    model = file.tensors;
  } else {
    const checkpoint = readTorchCheckpointFile(path, { widenHalf: true });
    if (!('model' in checkpoint)) throw new UsageError(`${path} has no "model" (it has ${Object.keys(checkpoint).join(', ')}); --init_from takes an official training checkpoint or JiT weights`);
    model = flattenTensors(checkpoint.model);
    emas = (['model_ema1', 'model_ema2'] as const).map((key) => (key in checkpoint ? flattenTensors(checkpoint[key]) : undefined));
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
      modules.objective.loadStateDict(state, { context: 'the adapter in the checkpoint does not fit --mta; the adapter of this run follows the model and the encoder width' });
    } finally {
      tf.dispose([...state.values()]);
    }
    parts.push('the adapter');
  }
  return { parts };
}
