import { DataLoader, type DataLoaderOptions } from './data-loader.js';
import type { Sample } from './sample-source.js';
import type { SampleSource } from './sample-source.js';

export interface IterateSamplesOptions extends Omit<DataLoaderOptions, 'batchSize' | 'dropLast'> {
  epoch?: number;
}

/**
 * One epoch of `source` sample by sample (same order, flips, sharding and skipping as a
 * `DataLoader`), for code that wants images rather than batches.
 *
 * ```ts
 * for await (const { image, label, index } of iterateSamples(data, { shuffle: false })) { … }
 * ```
 */
export async function* iterateSamples(source: SampleSource, options: IterateSamplesOptions = {}): AsyncGenerator<Sample & { index: number }> {
  const loader = new DataLoader(source, { ...options, batchSize: 1 });
  for await (const batch of loader.epoch(options.epoch ?? 0)) {
    const [, height, width] = batch.shape;
    yield { image: { width, height, data: batch.images }, label: batch.labels[0], index: batch.indices[0] };
  }
}
