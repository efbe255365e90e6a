import { bytesSource, flattenTensors, readSafetensors, readTorchCheckpoint, type ByteSource, type RawTensor } from '@pixelrepa/io';
import { tf } from '@pixelrepa/tensor';
import { tensorStateDict, type RandomSource } from '@pixelrepa/nn';
import { FidInceptionV3 } from './fid-inception-v3.js';

/** torch-fidelity's converted TF Inception weights (the file every FID in the papers used). */
export const FID_INCEPTION_WEIGHTS = {
  url: 'https://github.com/toshas/torch-fidelity/releases/download/v0.2.0/weights-inception-2015-12-05-6726825d.pth',
  fileName: 'weights-inception-2015-12-05-6726825d.pth',
  /** torch.hub convention: the hex digits in the file name start the file's SHA-256. */
  sha256Prefix: '6726825d',
} as const;

export type WeightsFile = typeof FID_INCEPTION_WEIGHTS;

/**
 * Finds a weights file: from a cache, or by downloading `file.url` into it. Returns the bytes
 * or a local path. (The shared cache/download helper plugs in here.)
 */
export type WeightsResolver = (file: WeightsFile) => Promise<Uint8Array | string>;

export interface FidInceptionWeightsSource {
  /** The `.pth` (torch-fidelity's file) or a `.safetensors` with the same names, in memory. */
  bytes?: Uint8Array;
  /** The same, on disk (Node). */
  path?: string;
  /** Used when neither `bytes` nor `path` is given; receives `FID_INCEPTION_WEIGHTS`. */
  resolve?: WeightsResolver;
}

/**
 * The FID Inception network with its weights loaded from torch-fidelity's `.pth` (read by
 * `@pixelrepa/io`'s restricted unpickler) or from a safetensors file with the same names.
 * A resolved download is checked against the SHA-256 prefix in its name.
 *
 * @example
 * const net = await loadFidInceptionV3({ path: 'weights-inception-2015-12-05-6726825d.pth' });
 */
export async function loadFidInceptionV3(source: FidInceptionWeightsSource): Promise<FidInceptionV3> {
  const raw = await readWeights(source);
  const net = new FidInceptionV3({ random: placeholders });
  const state = tensorStateDict(raw);
  try {
    net.loadStateDict(state);
  } catch (error) {
    net.dispose();
    throw error;
  } finally {
    for (const tensor of state.values()) tensor.dispose();
  }
  return net;
}

/** Every value is overwritten by the checkpoint, so the network is built from zeros (no RNG cost). */
const placeholders: RandomSource = { normal: (shape) => tf.zeros(shape), uniform: (shape) => tf.zeros(shape) };

async function readWeights({ bytes, path, resolve }: FidInceptionWeightsSource): Promise<Map<string, RawTensor>> {
  if (bytes) return readFidInceptionWeights(bytes);
  if (path) return readWeightsFile(path);
  if (!resolve) {
    throw new Error(
      `no FID Inception weights given: pass { bytes }, { path } or a { resolve } that finds ${FID_INCEPTION_WEIGHTS.fileName} (download: ${FID_INCEPTION_WEIGHTS.url})`,
    );
  }
  const found = await resolve(FID_INCEPTION_WEIGHTS);
  const data = typeof found === 'string' ? await readFileBytes(found) : found;
  await checkSha256Prefix(data, FID_INCEPTION_WEIGHTS.sha256Prefix, typeof found === 'string' ? found : FID_INCEPTION_WEIGHTS.fileName);
  return readFidInceptionWeights(data);
}

/**
 * The tensors of a weights file, format detected from its first bytes: a `torch.save` zip
 * (`.pth`) or safetensors. Half-precision values are widened to float32.
 */
export function readFidInceptionWeights(input: Uint8Array | ByteSource): Map<string, RawTensor> {
  const source = input instanceof Uint8Array ? bytesSource(input) : input;
  const head = source.read(0, Math.min(9, source.size));
  if (head[0] === 0x50 && head[1] === 0x4b) {
    return flattenTensors(readTorchCheckpoint(source, { widenHalf: true }));
  }
  if (head[0] === 0x80) {
    throw new Error(
      'this .pth was written by torch.save with _use_new_zipfile_serialization=False (the legacy format), which is not read here: re-save it with torch ≥ 1.6 or convert it to safetensors',
    );
  }
  if (head.length === 9 && head[8] === 0x7b /* '{' */) {
    return readSafetensors(source, { widenHalf: true }).tensors;
  }
  throw new Error('FID Inception weights must be a torch.save .pth (zip) or a .safetensors file; these bytes are neither');
}

async function readWeightsFile(path: string): Promise<Map<string, RawTensor>> {
  const { withFileSource } = await import('@pixelrepa/io/node');
  return withFileSource(path, (source) => readFidInceptionWeights(source));
}

async function readFileBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return new Uint8Array(await readFile(path));
}

async function checkSha256Prefix(data: Uint8Array, prefix: string, where: string): Promise<void> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (!hex.startsWith(prefix)) {
    throw new Error(
      `${where}: SHA-256 ${hex.slice(0, 16)}… does not start with ${prefix}; the download is corrupt or a different file — delete it and fetch again`,
    );
  }
}
