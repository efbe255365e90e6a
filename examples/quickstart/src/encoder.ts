import { fileURLToPath } from 'node:url';
import { loadSmallViTFile } from '@pixelrepa/encoders/node';
import type { SmallViT } from '@pixelrepa/encoders';

/** The committed weights of the small encoder (reproduce with `npm run -w @pixelrepa/example-quickstart train-encoder`). */
export const encoderWeightsPath = fileURLToPath(new URL('../assets/procedural-encoder.safetensors', import.meta.url));

/** The frozen SmallViT trained on the procedural dataset: the quickstart's semantic target. */
export function loadProceduralEncoder(path = encoderWeightsPath): SmallViT {
  return loadSmallViTFile(path);
}
