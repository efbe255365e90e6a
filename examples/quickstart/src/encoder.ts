import { loadSmallViTFile } from '@pixelrepa/encoders/node';
import type { SmallViT } from '@pixelrepa/encoders';
import { encoderFiles, type QuickstartData } from './datasets.js';

/**
 * The frozen SmallViT classifier trained on `data` (committed weights; reproduce with
 * `npm run -w @pixelrepa/example-quickstart train-encoder -- --data <data>`): the quickstart's
 * semantic target, its 4×4 patch tokens standing in for DINOv2's.
 */
export function loadQuickstartEncoder(data: QuickstartData, path = encoderFiles[data]): SmallViT {
  return loadSmallViTFile(path);
}
