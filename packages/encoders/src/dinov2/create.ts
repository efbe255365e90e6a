import type { RandomSource } from '@pixelrepa/nn';
import { dinov2Config, type DinoV2Overrides, type DinoV2Preset } from './config.js';
import { DinoV2 } from './dinov2.js';

export interface CreateDinoV2Options extends DinoV2Overrides {
  random?: RandomSource;
}

/**
 * A DINOv2 encoder with random weights (for benchmarks and tests; load real ones with
 * `loadDinoV2Weights`, or use `loadEncoder` from `@pixelrepa/encoders/node`).
 *
 * @example
 * const encoder = createDinoV2('dinov2-vitb14', { imgSize: 256, patchSize: 16 });
 * const tokens = encoder.encode(images); // [B, 256, 768]
 */
export function createDinoV2(name: string | DinoV2Preset, { random, ...overrides }: CreateDinoV2Options = {}): DinoV2 {
  return new DinoV2(dinov2Config(name, overrides), random);
}
