import type { RawTensor } from '@pixelrepa/io';
import { tensorStateDict } from '@pixelrepa/nn';
import { tf } from '@pixelrepa/tensor';
import { toTimmStateDict, type CheckpointFormat } from '../weights/checkpoint-format.js';
import { checkWeightsFit } from '../weights/fit.js';
import { resampleToGeometry } from '../weights/resample-checkpoint.js';
import { summarizeDinoV2Weights } from '../weights/summary.js';
import type { DinoV2 } from './dinov2.js';

export interface LoadDinoV2WeightsOptions {
  /** Where the weights came from, for messages (a file name or hub repository). */
  source?: string;
}

/**
 * Loads a DINOv2 checkpoint (timm, DINOv2's own or Hugging Face names; any float dtype) into
 * `model`, doing at load what timm's `checkpoint_filter_fn` does: names converted to timm's, the
 * patch kernel PI-resized to the model's patch size and the position grid resampled to its grid
 * (antialiased bicubic). Weights of another architecture are refused with a message naming both.
 * The caller keeps `checkpoint`.
 *
 * @example
 * const model = createDinoV2('dinov2-vitb14', { imgSize: 256, patchSize: 16 });
 * loadDinoV2Weights(model, readSafetensorsFile('model.safetensors').tensors);
 */
export function loadDinoV2Weights(model: DinoV2, checkpoint: Map<string, RawTensor>, { source = 'these weights' }: LoadDinoV2WeightsOptions = {}): { format: CheckpointFormat } {
  const { state, format } = toTimmStateDict(checkpoint);
  checkWeightsFit(model.config, summarizeDinoV2Weights(state), source);
  const resampled = resampleToGeometry(state, {
    patchSize: model.patchSize,
    gridSize: model.gridSize,
    numPosPrefixTokens: model.config.regTokens > 0 ? 0 : 1,
  });
  const tensors = tensorStateDict(resampled);
  try {
    model.loadStateDict(tensors, { context: `Loading ${source} (${format} names) into ${model.label}.` });
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return { format };
}
