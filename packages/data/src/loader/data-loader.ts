import { flipHorizontal } from '../flip.js';
import { packBatch, type Uint8Batch } from './batch.js';
import { BoundedQueue } from './bounded-queue.js';
import { epochOrder, flipsInEpoch, type EpochOrderOptions } from './epoch-order.js';
import { DataIntegrityError, type Sample, type SampleSource } from './sample-source.js';
import { formatSkipSummary, SkipReport, type SkipSummary } from './skip-report.js';

export interface DataLoaderOptions extends Pick<EpochOrderOptions, 'seed' | 'shuffle' | 'rank' | 'worldSize' | 'balance'> {
  batchSize: number;
  /** Mirror each image with probability ½, decided per (seed, epoch, index). Default false. */
  flip?: boolean;
  /** Leave out the last, smaller batch of an epoch. Default false. */
  dropLast?: boolean;
  /** Finished batches kept ready ahead of the consumer. Default 2. */
  prefetch?: number;
  /** Samples being loaded at once (keep ≥ 2 × decode workers). Default 8. */
  concurrency?: number;
  /** Where the per-file warnings and the end-of-epoch summary go. Default console.warn. */
  warn?: (line: string) => void;
}

/** One epoch's batches, and what was skipped in it (complete once iteration ends). */
export interface EpochBatches extends AsyncIterable<Uint8Batch> {
  readonly epoch: number;
  summary(): SkipSummary;
}

type Loaded = { index: number; sample?: Sample; error?: unknown };

/**
 * Turns a `SampleSource` into batches, epoch by epoch: seeded shuffling (the same order for the
 * same (seed, epoch) everywhere), sharding over `worldSize` ranks, random horizontal flips,
 * loading `concurrency` samples at once and keeping `prefetch` batches ready. A sample that fails
 * to load is skipped with one warning and its place taken by the next, so batches stay full; the
 * epoch never stops for a bad file (only a `DataIntegrityError`, a corrupt packed cache, stops it).
 * A summary of the skips is printed when the epoch ends.
 *
 * ```ts
 * const loader = new DataLoader(proceduralDataset({ imageSize: 32 }), { batchSize: 64, flip: true });
 * for await (const batch of loader.epoch(0)) {
 *   const x = batchToFloatTensor(batch); // [64, 32, 32, 3] in [−1, 1]
 *   x.dispose();
 * }
 * ```
 */
export class DataLoader {
  readonly source: SampleSource;
  readonly options: Readonly<DataLoaderOptions>;

  constructor(source: SampleSource, options: DataLoaderOptions) {
    if (!(Number.isInteger(options.batchSize) && options.batchSize >= 1)) {
      throw new Error(`DataLoader: batchSize must be an integer ≥ 1, found ${options.batchSize}`);
    }
    for (const key of ['prefetch', 'concurrency'] as const) {
      const value = options[key];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new Error(`DataLoader: ${key} must be an integer ≥ 1, found ${value}`);
      }
    }
    this.source = source;
    this.options = { ...options };
  }

  /** Dataset indices this rank visits in `epoch`, in order (before skips). */
  order(epoch: number): Int32Array {
    const { seed, shuffle, rank, worldSize, balance } = this.options;
    return epochOrder({ size: this.source.length, seed, epoch, shuffle, rank, worldSize, balance });
  }

  /** Number of batches in an epoch if nothing is skipped. */
  batchesPerEpoch(): number {
    const count = this.order(0).length;
    return this.options.dropLast ? Math.floor(count / this.options.batchSize) : Math.ceil(count / this.options.batchSize);
  }

  epoch(epoch: number): EpochBatches {
    const warn = this.options.warn ?? ((line: string) => console.warn(line));
    const report = new SkipReport(warn);
    const run = () => this.batches(epoch, report, warn);
    return { epoch, summary: () => report.summary(), [Symbol.asyncIterator]: () => run()[Symbol.asyncIterator]() };
  }

  private async *batches(epoch: number, report: SkipReport, warn: (line: string) => void): AsyncGenerator<Uint8Batch> {
    const queue = new BoundedQueue<Uint8Batch>(this.options.prefetch ?? 2);
    const stop = { requested: false };
    const producer = this.produce(epoch, queue, report, stop).then(
      () => queue.close(),
      (error) => queue.fail(error),
    );
    try {
      for (;;) {
        const batch = await queue.take();
        if (batch === BoundedQueue.done) break;
        yield batch;
      }
      const summary = report.summary();
      if (summary.total > 0) warn(`data: epoch ${epoch}: ${formatSkipSummary(summary)}`);
    } finally {
      stop.requested = true;
      queue.close();
      await producer;
    }
  }

  private async produce(epoch: number, queue: BoundedQueue<Uint8Batch>, report: SkipReport, stop: { requested: boolean }): Promise<void> {
    const { batchSize, seed = 0, flip = false, dropLast = false } = this.options;
    const concurrency = this.options.concurrency ?? 8;
    const order = this.order(epoch);
    const inFlight: Array<Promise<Loaded>> = [];
    let launched = 0;
    let pending: Array<Sample & { index: number }> = [];
    const load = (index: number): Promise<Loaded> =>
      Promise.resolve()
        .then(() => this.source.load(index))
        .then(
          (sample) => ({ index, sample }),
          (error: unknown) => ({ index, error }),
        );
    while (!stop.requested) {
      while (inFlight.length < concurrency && launched < order.length) inFlight.push(load(order[launched++]));
      if (inFlight.length === 0) break;
      // Results are taken in order, so batches (and warnings) are deterministic.
      const { index, sample, error } = await inFlight.shift()!;
      if (!sample) {
        if (error instanceof DataIntegrityError) {
          await Promise.all(inFlight);
          throw error;
        }
        report.skip(error, this.source.describe?.(index) ?? `sample ${index}`);
        continue;
      }
      const image = flip && flipsInEpoch(seed, epoch, index) ? flipHorizontal(sample.image) : sample.image;
      pending.push({ image, label: sample.label, index });
      if (pending.length === batchSize) {
        if (!(await queue.put(packBatch(pending)))) break;
        pending = [];
      }
    }
    if (!stop.requested && pending.length > 0 && !dropLast) await queue.put(packBatch(pending));
    // Let abandoned loads settle so no rejection goes unhandled.
    await Promise.all(inFlight);
  }
}
