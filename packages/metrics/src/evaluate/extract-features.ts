import { tf } from '@pixelrepa/tensor';
import type { InceptionFeature, InceptionFeatureExtractor } from '../inception/fid-inception-v3.js';
import { imageBatchTensor, type ImageSource } from './image-batches.js';

export interface ExtractFeaturesOptions {
  images: ImageSource;
  /** The FID Inception network (`loadFidInceptionV3`). */
  extractor: InceptionFeatureExtractor;
  features: readonly InceptionFeature[];
  /** Largest batch the network sees at once (default 16); bigger batches are split. */
  maxBatch?: number;
  /** Receives each batch's features: [B, size] row-major float32 per feature. */
  onFeatures: (features: Partial<Record<InceptionFeature, Float32Array>>, rows: number) => void;
  /** Called after each network batch with the number of images done so far. */
  onImages?: (done: number) => void;
}

/**
 * Runs every image through the FID Inception network, handing each batch's features to
 * `onFeatures` as plain arrays; no tensor outlives its batch. Returns the number of images.
 */
export async function extractFeatures({ images, extractor, features, maxBatch = 16, onFeatures, onImages }: ExtractFeaturesOptions): Promise<number> {
  let done = 0;
  let index = 0;
  let size: [number, number] | undefined;
  for await (const batch of images) {
    const { tensor, owned } = await imageBatchTensor(batch, index++, size);
    size ??= [tensor.shape[1]!, tensor.shape[2]!];
    try {
      const count = tensor.shape[0];
      for (let start = 0; start < count; start += maxBatch) {
        const rows = Math.min(maxBatch, count - start);
        const chunk = rows === count ? tensor : tf.slice(tensor, [start, 0, 0, 0], [rows, -1, -1, -1]);
        const outputs = extractor.forward(chunk, { features });
        if (chunk !== tensor) chunk.dispose();
        const arrays: Partial<Record<InceptionFeature, Float32Array>> = {};
        for (const name of features) {
          arrays[name] = (await outputs[name]!.data()) as Float32Array;
          outputs[name]!.dispose();
        }
        onFeatures(arrays, rows);
        done += rows;
        onImages?.(done);
      }
    } finally {
      if (owned) tensor.dispose();
    }
  }
  return done;
}
