/**
 * libvips keeps ONE error buffer per process: while several decodes run at once (sharp's thread
 * pool, or decoding workers, which are threads of the same process), a failing decode can read
 * another file's error text, or find its own already taken ("Unknown error"). Decodes therefore
 * run under this shared/exclusive lock: any number share it, and a failed decode is repeated
 * alone (exclusive), so the message quoted for a file is its own. Failures are rare, so the
 * serialisation costs nothing on good data. One lock per thread; `DecodePool` does the same
 * across its workers.
 */
export class DecodeLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: Array<{ exclusive: boolean; start: () => void }> = [];

  /** Runs `body` alongside other shared holders (waits while an exclusive holder runs or waits). */
  runShared<T>(body: () => Promise<T>): Promise<T> {
    return this.run(false, body);
  }

  /** Runs `body` with no other holder running. */
  runAlone<T>(body: () => Promise<T>): Promise<T> {
    return this.run(true, body);
  }

  private async run<T>(exclusive: boolean, body: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.waiting.push({ exclusive, start });
      this.admit();
    });
    try {
      return await body();
    } finally {
      if (exclusive) this.exclusive = false;
      else this.shared--;
      this.admit();
    }
  }

  /** Starts waiters in order: shared ones while no exclusive one is running or first in line. */
  private admit(): void {
    while (this.waiting.length > 0 && !this.exclusive) {
      const next = this.waiting[0];
      if (next.exclusive && this.shared > 0) return;
      this.waiting.shift();
      if (next.exclusive) this.exclusive = true;
      else this.shared++;
      next.start();
    }
  }
}
