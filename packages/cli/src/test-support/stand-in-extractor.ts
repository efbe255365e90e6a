import type { InceptionFeatureExtractor, InceptionFeature } from '@pixelrepa/metrics';
import { createRng, tf, type Tensor } from '@pixelrepa/tensor';

/**
 * A cheap stand-in for the FID Inception network (whose weights are a 100 MB download): images
 * are shrunk to 8 × 8 and projected by fixed random matrices to the '2048' and 'logits_unbiased'
 * widths. Deterministic, so equal image sets give equal features.
 */
export function standInExtractor(): InceptionFeatureExtractor & { dispose(): void } {
  const rng = createRng(11);
  const pool = rng.normal([8 * 8 * 3, 2048], { std: 0.1 });
  const logits = rng.normal([8 * 8 * 3, 1008], { std: 0.5 });
  return {
    forward(images: Tensor, options: { features?: readonly InceptionFeature[] } = {}) {
      return tf.tidy(() => {
        const small = tf.image.resizeBilinear(tf.div(tf.cast(images, 'float32'), 255) as tf.Tensor4D, [8, 8]);
        const flat = tf.reshape(small, [images.shape[0], -1]);
        const out: Partial<Record<InceptionFeature, Tensor>> = {};
        for (const feature of options.features ?? ['2048']) {
          if (feature === '2048') out['2048'] = tf.tanh(tf.matMul(flat, pool));
          if (feature === 'logits_unbiased') out.logits_unbiased = tf.matMul(flat, logits);
        }
        return out;
      });
    },
    dispose: () => tf.dispose([pool, logits]),
  };
}
