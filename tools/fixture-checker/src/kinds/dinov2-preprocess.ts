import { type Tensor } from '@pixelrepa/tensor';
import { preprocessForEncoder } from '@pixelrepa/encoders';
import type { KindChecker } from '../kind.js';
import { compareAll, disposeAll, input, missingResults } from '../tensors.js';

/**
 * PixelREPA's encoder input: [−1, 1] → ImageNet normalisation (`rescaled<suffix>`), then bilinear
 * resize to `repa_image_size` (`repa_x<suffix>`), for every input image `x<suffix>`.
 */
export const checker: KindChecker = {
  kind: 'dinov2-preprocess',
  async check(fixture) {
    const size = fixture.json.config.repa_image_size as number;
    const actual = new Map<string, Tensor>();
    for (const name of fixture.inputs().keys()) {
      const suffix = name.slice(1);
      const images = input(fixture, name, { nhwc: true });
      actual.set(`rescaled${suffix}`, preprocessForEncoder(images, { size: images.shape[1]! }));
      actual.set(`repa_x${suffix}`, preprocessForEncoder(images, { size }));
      images.dispose();
    }
    const wanted = new Map([...actual].filter(([name]) => fixture.expected().has(name)));
    const results = await compareAll(fixture, wanted, { nchw: [...wanted.keys()] });
    disposeAll(actual);
    return [...results, ...missingResults(fixture, wanted.keys())];
  },
};
