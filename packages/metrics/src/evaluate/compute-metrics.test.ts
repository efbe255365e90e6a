import { expect, it } from 'vitest';
import { tf, type Tensor } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors, loadCase, describeEachBackendWithFixtures } from '@pixelrepa/tensor/testing';
import type { InceptionFeature, InceptionFeatureExtractor, InceptionForwardOptions } from '../inception/fid-inception-v3.js';
import { loadFidInceptionV3 } from '../inception/weights.js';
import { writeSafetensors } from '@pixelrepa/io';
import { frechetDistance } from '../scores/frechet-distance.js';
import { inceptionScore } from '../scores/inception-score.js';
import { StatisticsAccumulator } from '../statistics/statistics-accumulator.js';
import { statisticsFromNpz, statisticsToNpz } from '../statistics/statistics-file.js';
import { computeMetrics, type MetricsProgress } from './compute-metrics.js';
import { computeReferenceStatistics, mergeStatistics } from './reference-statistics.js';
import type { ImageBatch } from './image-batches.js';

/** A cheap stand-in for the network: '2048' = the image shrunk to 32×32 (first 2048 values), logits = its first 1008 × 10. */
const fakeExtractor: InceptionFeatureExtractor = {
  forward(images: Tensor, { features = ['2048'] }: InceptionForwardOptions = {}) {
    return tf.tidy(() => {
      const pool = tf.slice(
        tf.reshape(tf.image.resizeBilinear(tf.div(tf.cast(images, 'float32'), 255) as tf.Tensor4D, [32, 32]), [images.shape[0], -1]),
        [0, 0],
        [-1, 2048],
      );
      const out: Partial<Record<InceptionFeature, Tensor>> = {};
      if (features.includes('2048')) out['2048'] = tf.keep(pool);
      if (features.includes('logits_unbiased')) out.logits_unbiased = tf.keep(tf.mul(tf.slice(pool, [0, 0], [-1, 1008]), 10));
      return out;
    });
  },
};

/** `count` seeded uint8 images [H, W] in batches of `batch`, as plain bytes (the data package's form). */
function* imageBatches(count: number, batch: number, seed: number, size = 40): Generator<ImageBatch> {
  let state = seed;
  for (let start = 0; start < count; start += batch) {
    const b = Math.min(batch, count - start);
    const images = Uint8Array.from({ length: b * size * size * 3 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 24;
    });
    yield { images, shape: [b, size, size, 3] };
  }
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describeEachBackend('computeMetrics', () => {
  it('computes FID, IS, KID and precision/recall in one pass, reporting progress, leaving no tensors', async () => {
    const reference = await computeReferenceStatistics({ images: asAsync(imageBatches(24, 5, 1)), extractor: fakeExtractor, keepFeatures: true });
    expect(reference.statistics.count).toBe(24);
    expect(reference.features!.length).toBe(24 * 2048);
    const progress: MetricsProgress[] = [];
    const before = liveTensors();
    const result = await computeMetrics({
      images: asAsync(imageBatches(20, 6, 2)),
      reference,
      metrics: ['fid', 'is', 'kid', 'pr'],
      extractor: fakeExtractor,
      total: 20,
      maxBatch: 4,
      is: { splits: 2 },
      onProgress: (p) => progress.push(p),
    });
    expect(liveTensors()).toBe(before);
    expect(result.count).toBe(20);
    expect(progress.filter((p) => p.stage === 'features').map((p) => p.images)).toEqual([4, 6, 10, 12, 16, 18, 20]);
    expect(progress.slice(-4).map((p) => p.stage)).toEqual(['fid', 'is', 'kid', 'pr']);
    expect(progress.every((p) => p.total === 20)).toBe(true);
    expect(result.fid).toBeCloseTo(frechetDistance(result.statistics, reference.statistics), 10);
    expect(result.fid).toBeGreaterThan(0);
    expect(result.is!.splitScores).toHaveLength(2);
    expect(result.kid!.subsetSize).toBe(20);
    expect(result.pr!.precision).toBeGreaterThanOrEqual(0);
    // The same images as a single tensor batch give the same statistics.
    const all = [...imageBatches(20, 20, 2)][0] as { images: Uint8Array; shape: number[] };
    const tensor = tf.tensor4d(Int32Array.from(all.images), all.shape as [number, number, number, number], 'int32');
    const again = await computeMetrics({ images: [tensor], reference, metrics: ['fid', 'is'], extractor: fakeExtractor, is: { splits: 2 } });
    expect(again.fid).toBeCloseTo(result.fid!, 9);
    expect(again.is!.mean).toBeCloseTo(result.is!.mean, 9);
    expect(tensor.isDisposed).toBe(false);
    tensor.dispose();
  });

  it('merges per-machine shards into the statistics of the whole set, through .npz files', async () => {
    const whole = await computeReferenceStatistics({ images: imageBatches(30, 7, 5), extractor: fakeExtractor });
    const batches = [...imageBatches(30, 10, 5)];
    const shards = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const { statistics } = await computeReferenceStatistics({ images: [batches[i]], extractor: fakeExtractor });
        return statisticsFromNpz(statisticsToNpz(statistics));
      }),
    );
    const merged = mergeStatistics(shards);
    expect(merged.count).toBe(30);
    let worst = 0;
    for (let i = 0; i < merged.covariance.length; i++) worst = Math.max(worst, Math.abs(merged.covariance[i] - whole.statistics.covariance[i]));
    expect(worst).toBeLessThan(1e-12);
  });

  it('explains bad input before or while reading images', async () => {
    const stats = new StatisticsAccumulator(2048).add(new Float32Array(2 * 2048).map((_, i) => i % 7)).statistics();
    const run = (options: Partial<Parameters<typeof computeMetrics>[0]>) =>
      computeMetrics({ images: imageBatches(4, 2, 1), metrics: ['fid'], extractor: fakeExtractor, reference: { statistics: stats }, ...options });
    await expect(run({ reference: { statistics: new StatisticsAccumulator(64).add(new Float32Array(128).map(Math.random)).statistics() } })).rejects.toThrow(
      /reference statistics are 64-d/,
    );
    const broken = { ...stats, covariance: stats.covariance.map((v, i) => (i === 5 ? NaN : v)) };
    await expect(run({ reference: { statistics: broken } })).rejects.toThrow(/reference statistics: covariance\[0, 5\] is NaN/);
    await expect(run({ metrics: ['kid'] })).rejects.toThrow(/'kid' needs the reference images' features/);
    await expect(run({ images: imageBatches(1, 1, 1) })).rejects.toThrow(/at least 2 generated images, got 1/);
    await expect(run({ images: [...imageBatches(2, 2, 1, 40), ...imageBatches(2, 2, 1, 32)] })).rejects.toThrow(
      /batch 1 holds 32×32 images but earlier batches were 40×40/,
    );
    const floats = tf.zeros([2, 8, 8, 3]);
    await expect(run({ images: [floats] })).rejects.toThrow(/float32; the metrics take uint8 images/);
    floats.dispose();
    const outOfRange = tf.fill([2, 8, 8, 3], 300, 'int32');
    await expect(run({ images: [outOfRange] })).rejects.toThrow(/values in \[300, 300\]/);
    outOfRange.dispose();
    await expect(run({ metrics: ['fjd' as 'fid'] })).rejects.toThrow(/unknown metric "fjd"/);
  });
});

describeEachBackendWithFixtures(
  'computeReferenceStatistics with the FID Inception network',
  ['inception-fid-forward'],
  () => {
    it("streams the fixture images' '2048' features into statistics", async () => {
      const fixture = loadCase('inception-fid-forward');
      const net = await loadFidInceptionV3({ bytes: writeSafetensors(fixture.weights()) });
      const raw = fixture.inputs().get('images')!;
      const nhwc = tf.tidy(() => tf.transpose(tf.tensor(Int32Array.from(raw.data as Uint8Array), raw.shape, 'int32'), [0, 2, 3, 1]));
      const { statistics } = await computeReferenceStatistics({ images: [nhwc], extractor: net, maxBatch: 1 });
      const expected = new StatisticsAccumulator(2048).add(fixture.expected().get('feat_2048')!.data as Float32Array).statistics();
      let worst = 0;
      for (let i = 0; i < 2048; i++) worst = Math.max(worst, Math.abs(statistics.mean[i] - expected.mean[i]));
      expect(worst).toBeLessThan(2e-3);
      const logits = inceptionScore(fixture.expected().get('feat_logits_unbiased')!.data as Float32Array, 1008, { splits: 1 });
      expect(logits.mean).toBeGreaterThan(1);
      tf.dispose([nhwc]);
      net.dispose();
    });
  },
  ['wasm'],
);
