/**
 * A first-in first-out queue holding at most `capacity` items: `put` waits while it is full
 * (back-pressure on the producer), `take` waits while it is empty. `close` ends it: pending and
 * later `take`s resolve to `done` once the items are drained; `fail` makes them reject.
 */
export class BoundedQueue<T> {
  static readonly done: unique symbol = Symbol('BoundedQueue.done');
  private readonly items: T[] = [];
  private readonly takers: Array<{ resolve: (item: T | typeof BoundedQueue.done) => void; reject: (error: unknown) => void }> = [];
  private readonly putters: Array<() => void> = [];
  private closed = false;
  private error: { value: unknown } | undefined;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new Error(`BoundedQueue: capacity must be an integer ≥ 1, found ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds `item`, first waiting for room. Returns false (dropping the item) once the queue is closed. */
  async put(item: T): Promise<boolean> {
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.putters.push(resolve));
    }
    if (this.closed) return false;
    const taker = this.takers.shift();
    if (taker) taker.resolve(item);
    else this.items.push(item);
    return true;
  }

  /** The oldest item, waiting for one if needed; `BoundedQueue.done` after close. */
  take(): Promise<T | typeof BoundedQueue.done> {
    if (this.items.length > 0) {
      const item = this.items.shift()!;
      this.putters.shift()?.();
      return Promise.resolve(item);
    }
    if (this.error) return Promise.reject(this.error.value);
    if (this.closed) return Promise.resolve(BoundedQueue.done);
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  /** No more items: takers get what is left, then `done`; waiting producers are released. */
  close(): void {
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker.resolve(BoundedQueue.done);
    for (const putter of this.putters.splice(0)) putter();
  }

  /** Ends the queue with an error that every later `take` rejects with (after the items). */
  fail(error: unknown): void {
    this.error = { value: error };
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker.reject(error);
    for (const putter of this.putters.splice(0)) putter();
  }
}
