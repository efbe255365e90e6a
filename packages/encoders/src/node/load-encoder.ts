import type { RawTensor } from '@pixelrepa/io';
import { dinov2Config, dinov2Preset, type DinoV2Config, type DinoV2Overrides } from '../dinov2/config.js';
import { DinoV2 } from '../dinov2/dinov2.js';
import { dinov2StateDict, loadDinoV2Weights } from '../dinov2/load-weights.js';
import { fetchToCache, type FetchToCacheOptions, type ProgressCallback } from '@pixelrepa/io/node';
import { toTimmStateDict } from '../weights/checkpoint-format.js';
import { checkWeightsFit } from '../weights/fit.js';
import { summarizeDinoV2Weights } from '../weights/summary.js';
import { readCheckpointFile } from './read-checkpoint-file.js';

/**
 * Where the weights come from, and the geometry to build at (`imgSize`, `patchSize`; the other
 * overrides change the architecture as timm's `create_model` kwargs do, for small test models).
 */
export interface LoadEncoderOptions extends DinoV2Overrides {
  /** Which published weights: timm's (`timm/vit_*_dinov2.lvd142m`, default) or transformers' (`facebook/dinov2-*`). */
  hub?: 'timm' | 'hf';
  /** A local checkpoint file instead of the cache (safetensors, or DINOv2's own `.pth`). */
  weightsFile?: string;
  /** Default: `$PIXELREPA_CACHE`, else `~/.cache/pixelrepa`. */
  cacheDir?: string;
  /** The hub's address (default https://huggingface.co; tests point it at a local server). */
  baseUrl?: string;
  /** Hub revision (default `main`). */
  revision?: string;
  /** Never download (default: `$PIXELREPA_OFFLINE`). */
  offline?: boolean;
  /** Expected SHA-256 of the file (the hub's own announced hash is checked when this is not given). */
  sha256?: string;
  /** Download progress; default: a terminal bar on stderr. Pass `() => {}` for silence. */
  onProgress?: ProgressCallback;
  /** Retry tuning of the download. */
  download?: Pick<FetchToCacheOptions, 'retries' | 'retryDelayMs' | 'stallTimeoutMs'>;
}

/**
 * A pretrained DINOv2 encoder, built at `imgSize` / `patchSize` (default 518 / 14) with the
 * weights resampled as timm does. The weights come from `weightsFile`, else from the cache,
 * else from the Hugging Face hub (resumable, verified, atomic; see `fetchToCache`).
 *
 * @example
 * const encoder = await loadEncoder('dinov2-vitb14', { imgSize: 256, patchSize: 16 });
 * const tokens = encoder.encode(images); // images [B, 256, 256, 3] in [−1, 1] → [B, 256, 768]
 */
export async function loadEncoder(name: string, options: LoadEncoderOptions = {}): Promise<DinoV2> {
  const { config, checkpoint, source } = await readEncoderCheckpoint(name, options);
  // Refuse weights of another model before allocating this one.
  checkWeightsFit(config, summarizeDinoV2Weights(toTimmStateDict(checkpoint).state), source);
  const encoder = new DinoV2(config);
  try {
    loadDinoV2Weights(encoder, checkpoint, { source });
  } catch (error) {
    encoder.dispose();
    throw error;
  }
  return encoder;
}

/**
 * The state dict of the DINOv2 `loadEncoder(name, options)` builds, under timm's names, without
 * building it: what the official PixelREPA Denoiser holds as its frozen `repa_model.*`.
 *
 * @example
 * const { state } = await loadEncoderStateDict('dinov2-vitb14', { imgSize: 256, patchSize: 16, offline: true });
 */
export async function loadEncoderStateDict(
  name: string,
  options: LoadEncoderOptions = {},
): Promise<{ config: DinoV2Config; state: Map<string, RawTensor>; source: string }> {
  const { config, checkpoint, source } = await readEncoderCheckpoint(name, options);
  return { config, state: dinov2StateDict(checkpoint, config, { source }).state, source };
}

/** The config of `name` at the options' geometry and its checkpoint: `weightsFile`, else the cache, else a download. */
async function readEncoderCheckpoint(
  name: string,
  options: LoadEncoderOptions,
): Promise<{ config: DinoV2Config; checkpoint: Map<string, RawTensor>; source: string }> {
  const { hub, weightsFile, cacheDir, baseUrl, revision, offline, sha256, onProgress, download, ...overrides } = options;
  const preset = dinov2Preset(name);
  let path = weightsFile;
  let source = path ?? '';
  if (!path) {
    const repo = preset.hub[hub ?? 'timm'];
    const ref = revision ?? 'main';
    const host = (baseUrl ?? 'https://huggingface.co').replace(/\/+$/, '');
    const token = process.env.HF_TOKEN;
    path = await fetchToCache({
      url: `${host}/${repo}/resolve/${ref}/model.safetensors`,
      fileName: `${repo}/${ref === 'main' ? '' : `${ref}/`}model.safetensors`,
      sha256,
      cacheDir,
      offline,
      onProgress,
      privateHeaders: token ? { Authorization: `Bearer ${token}` } : undefined,
      ...download,
    });
    source = repo;
  }
  return { config: dinov2Config(preset, overrides), checkpoint: readCheckpointFile(path), source };
}
