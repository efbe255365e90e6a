import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { allclose, loadCase, nchwToNhwc, nhwcToNchw, toTensor, toleranceFor, describeEachBackendWithFixtures } from '@pixelrepa/tensor/testing';
import { preprocessForEncoder } from './preprocess.js';

describeEachBackendWithFixtures('preprocessForEncoder (PixelREPA Denormalize → Normalize → bilinear)', ['dinov2-preprocess'], () => {
  const preprocessCase = loadCase('dinov2-preprocess');
  const size = preprocessCase.json.config.repa_image_size as number;
  it.each([
    ['x', ''],
    ['x_down', '_down'],
  ])('matches the fixture for %s (normalise, then resize to the encoder size)', async (input, suffix) => {
    const images = nchwToNhwc(toTensor(preprocessCase.inputs().get(input)!) as tf.Tensor4D);
    for (const [name, out] of [
      [`rescaled${suffix}`, images.shape[1]],
      [`repa_x${suffix}`, size],
    ] as const) {
      const actual = tf.tidy(() => nhwcToNchw(preprocessForEncoder(images, { size: out }) as tf.Tensor4D));
      const report = allclose(
        (await actual.data()) as Float32Array,
        preprocessCase.expected().get(name)!.data as Float32Array,
        toleranceFor(preprocessCase.json, name),
      );
      expect(report.ok, `${name}: ${report.message}`).toBe(true);
      actual.dispose();
    }
    images.dispose();
  });

  it('refuses images that are not NHWC with 3 channels', () => {
    const gray = tf.zeros([1, 8, 8, 1]);
    expect(() => preprocessForEncoder(gray, { size: 8 })).toThrow(/expected images \[B, H, W, 3\] in \[−1, 1\], got \[1, 8, 8, 1\]/);
    gray.dispose();
  });
});
