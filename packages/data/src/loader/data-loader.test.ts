import { describe, expect, it } from 'vitest';
import { flipHorizontal } from '../flip.js';
import { proceduralDataset } from '../procedural/procedural-dataset.js';
import { DataLoader } from './data-loader.js';
import { flipsInEpoch } from './epoch-order.js';
import { iterateSamples } from './iterate-samples.js';
import { DataIntegrityError, SampleSkipError, type Sample, type SampleSource } from './sample-source.js';

/** A procedural source whose listed indices fail, counting loads started. */
function flakySource(length: number, failing: Map<number, Error>, delayMs = 0) {
  const inner = proceduralDataset({ imageSize: 8, length, numClasses: 4 });
  const stats = { started: 0 };
  const source: SampleSource = {
    length,
    classes: inner.classes,
    async load(index: number): Promise<Sample> {
      stats.started++;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs * ((index * 7) % 3)));
      const error = failing.get(index);
      if (error) throw error;
      return inner.render(index);
    },
    describe: (index) => `item-${index}.jpg`,
  };
  return { source, stats };
}

async function collect(loader: DataLoader, epoch: number) {
  const batches = [];
  for await (const batch of loader.epoch(epoch)) batches.push(batch);
  return batches;
}

describe('DataLoader', () => {
  it('yields NHWC uint8 batches in the seeded order, the same for the same (seed, epoch)', async () => {
    const data = proceduralDataset({ imageSize: 8, length: 23 });
    const loader = new DataLoader(data, { batchSize: 5, seed: 9, warn: () => {} });
    const batches = await collect(loader, 3);
    expect(batches.map((b) => b.shape)).toEqual([
      [5, 8, 8, 3],
      [5, 8, 8, 3],
      [5, 8, 8, 3],
      [5, 8, 8, 3],
      [3, 8, 8, 3],
    ]);
    expect(batches.flatMap((b) => Array.from(b.indices))).toEqual(Array.from(loader.order(3)));
    expect(batches[0].images.subarray(0, 8 * 8 * 3)).toEqual(data.render(batches[0].indices[0]).image.data);
    expect(Array.from(batches[0].labels)).toEqual(Array.from(batches[0].indices, (i) => i % 10));
    const again = await collect(new DataLoader(data, { batchSize: 5, seed: 9 }), 3);
    expect(again.map((b) => Array.from(b.indices))).toEqual(batches.map((b) => Array.from(b.indices)));
    expect((await collect(new DataLoader(data, { batchSize: 5, seed: 9, dropLast: true }), 3)).length).toBe(4);
  });

  it('mirrors exactly the images whose (seed, epoch, index) coin says so', async () => {
    const data = proceduralDataset({ imageSize: 8, length: 16 });
    const [batch] = await collect(new DataLoader(data, { batchSize: 16, seed: 2, flip: true }), 1);
    let flipped = 0;
    batch.indices.forEach((index, i) => {
      const original = data.render(index).image;
      const expected = flipsInEpoch(2, 1, index) ? flipHorizontal(original).data : original.data;
      if (flipsInEpoch(2, 1, index)) flipped++;
      expect(batch.images.subarray(i * 192, (i + 1) * 192)).toEqual(expected);
    });
    expect(flipped).toBeGreaterThan(0);
  });

  it('skips failing samples with one warning each, keeps batches full, and summarises', async () => {
    const failing = new Map<number, Error>([
      [2, new SampleSkipError('corrupt', 'item-2.jpg', 'cannot decode')],
      [5, new SampleSkipError('truncated', 'item-5.jpg', 'premature end')],
      [6, new Error('something else')],
    ]);
    const { source } = flakySource(20, failing, 1);
    const warnings: string[] = [];
    const epoch = new DataLoader(source, { batchSize: 4, shuffle: false, concurrency: 5, warn: (l) => warnings.push(l) }).epoch(0);
    const batches = [];
    for await (const batch of epoch) batches.push(batch);
    expect(batches.map((b) => b.shape[0])).toEqual([4, 4, 4, 4, 1]);
    expect(batches.flatMap((b) => Array.from(b.indices))).toEqual([0, 1, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(warnings.slice(0, 3)).toEqual([
      'data: skipped item-2.jpg: cannot decode [corrupt]',
      'data: skipped item-5.jpg: premature end [truncated]',
      'data: skipped item-6.jpg: something else [failed]',
    ]);
    expect(warnings[3]).toBe('data: epoch 0: 3 files skipped (1 corrupt, 1 failed, 1 truncated)');
    expect(epoch.summary()).toEqual({ total: 3, byReason: { corrupt: 1, failed: 1, truncated: 1 } });
  });

  it('runs ahead by at most prefetch batches plus the loads in flight', async () => {
    const { source, stats } = flakySource(200, new Map());
    const loader = new DataLoader(source, { batchSize: 4, prefetch: 2, concurrency: 3 });
    const iterator = loader.epoch(0)[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((r) => setTimeout(r, 20));
    // 1 consumed + 2 queued + 1 being filled (≤ 4 samples) + 3 loads in flight.
    expect(stats.started).toBeLessThanOrEqual(4 * 4 + 3);
    expect(stats.started).toBeGreaterThanOrEqual(3 * 4);
    await iterator.return!();
    const stopped = stats.started;
    await new Promise((r) => setTimeout(r, 20));
    expect(stats.started).toBe(stopped);
  });

  it('stops the epoch on a DataIntegrityError (a damaged cache, not a bad file)', async () => {
    const { source } = flakySource(12, new Map([[3, new DataIntegrityError('shard-00000.bin: SHA-256 mismatch')]]));
    await expect(collect(new DataLoader(source, { batchSize: 2, shuffle: false }), 0)).rejects.toThrow(/SHA-256 mismatch/);
  });

  it('shards an epoch across ranks without overlap', async () => {
    const data = proceduralDataset({ imageSize: 4, length: 30 });
    const seen = await Promise.all(
      [0, 1, 2].map(async (rank) =>
        (await collect(new DataLoader(data, { batchSize: 4, seed: 5, rank, worldSize: 3 }), 7)).flatMap((b) => Array.from(b.indices)),
      ),
    );
    expect(seen.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('iterateSamples yields the same samples one by one', async () => {
    const data = proceduralDataset({ imageSize: 4, length: 6 });
    const samples = [];
    for await (const sample of iterateSamples(data, { shuffle: false })) samples.push(sample);
    expect(samples.map((s) => [s.index, s.label])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    expect(samples[4].image.data).toEqual(data.render(4).image.data);
  });
});
