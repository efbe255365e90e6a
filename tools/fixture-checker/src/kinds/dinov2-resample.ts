import type { KindChecker } from '../kind.js';
import { missingResults } from '../tensors.js';
import { checkDinoV2Resample } from './dinov2-resample-check.js';

/**
 * DINOv2 built by timm at another image / patch size from the original 518/14 checkpoint: the
 * load-time PI-resize of the patch kernel and antialiased-bicubic position grid, then
 * forward_features, its intermediates and the patch tokens.
 */
export const checker: KindChecker = {
  kind: 'dinov2-resample',
  async check(fixture) {
    const results = await checkDinoV2Resample(fixture);
    return [
      ...results,
      ...missingResults(
        fixture,
        results.map((r) => r.tensor),
      ),
    ];
  },
};
