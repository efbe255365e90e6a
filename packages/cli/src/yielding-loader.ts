import { DataLoader, type EpochBatches } from '@pixelrepa/data';

/**
 * A DataLoader that lets the event loop run before each batch. Training steps on the cpu and wasm
 * backends resolve through microtasks only, so without this a SIGINT / SIGTERM handler would never
 * get its turn while training runs.
 */
export class YieldingDataLoader extends DataLoader {
  override epoch(epoch: number): EpochBatches {
    const batches = super.epoch(epoch);
    return {
      epoch: batches.epoch,
      summary: () => batches.summary(),
      async *[Symbol.asyncIterator]() {
        for await (const batch of batches) {
          await new Promise((resolve) => setImmediate(resolve));
          yield batch;
        }
      },
    };
  }
}
