import type { RawTensor } from '@pixelrepa/io';
import { tensorStateDict } from '@pixelrepa/nn';
import { tf } from '@pixelrepa/tensor';
import { toTimmStateDict, type CheckpointFormat } from '../weights/checkpoint-format.js';
import { checkWeightsFit } from '../weights/fit.js';
import { resampleToGeometry } from '../weights/resample-checkpoint.js';
import { summarizeDinoV2Weights } from '../weights/summary.js';
import type { DinoV2Config } from './config.js';
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
export function loadDinoV2Weights(
  model: DinoV2,
  checkpoint: Map<string, RawTensor>,
  { source = 'these weights' }: LoadDinoV2WeightsOptions = {},
): { format: CheckpointFormat } {
  const { state, format } = dinov2StateDict(checkpoint, model.config, { source });
  const tensors = tensorStateDict(state);
  try {
    model.loadStateDict(tensors, { context: `Loading ${source} (${format} names) into ${model.label}.` });
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return { format };
}

/**
 * The state dict a model of `config` holds once loaded with `checkpoint`, without building it:
 * what timm's `create_model(name, pretrained=True, img_size=…, patch_size=…).state_dict()` gives
 * (timm's names, the patch kernel PI-resized, the position grid resampled). Weights of another
 * architecture are refused. Tensors that need no change are the checkpoint's own (not copied).
 *
 * @example
 * // the frozen `repa_model.*` of the official PixelREPA Denoiser
 * const { state } = dinov2StateDict(checkpoint, dinov2Config('dinov2-vitb14', { imgSize: 256, patchSize: 16 }));
 */
export function dinov2StateDict(
  checkpoint: Map<string, RawTensor>,
  config: DinoV2Config,
  { source = 'these weights' }: LoadDinoV2WeightsOptions = {},
): { state: Map<string, RawTensor>; format: CheckpointFormat } {
  const { state, format } = toTimmStateDict(checkpoint);
  checkWeightsFit(config, summarizeDinoV2Weights(state), source);
  const resampled = resampleToGeometry(state, {
    patchSize: config.patchSize,
    gridSize: [config.imgSize / config.patchSize, config.imgSize / config.patchSize],
    numPosPrefixTokens: config.regTokens > 0 ? 0 : 1,
  });
  return { state: resampled, format };
}
