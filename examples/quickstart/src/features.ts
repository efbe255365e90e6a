import { tf, type Tensor } from '@pixelrepa/tensor';
import { StatisticsAccumulator, frechetDistance, type FeatureStatistics } from '@pixelrepa/metrics';
import type { SmallViT } from '@pixelrepa/encoders';

/**
 * FID in the small encoder's feature space: each image → its mean-pooled tokens (96-d), then the
 * Fréchet distance between Gaussian fits (float64), as FID does with Inception features.
 */
export class EncoderFid {
  constructor(private readonly encoder: SmallViT) {}

  /** Adds a batch of float images [B, H, W, 3] in [−1, 1] to `stats`. */
  async add(stats: StatisticsAccumulator, images: Tensor): Promise<void> {
    const pooled = tf.tidy(() => tf.mean(this.encoder.encode(images), 1));
    stats.add((await pooled.data()) as Float32Array);
    pooled.dispose();
  }

  accumulator(): StatisticsAccumulator {
    return new StatisticsAccumulator(this.encoder.embedDim);
  }

  distance(a: FeatureStatistics, b: FeatureStatistics): number {
    return frechetDistance(a, b);
  }
}
