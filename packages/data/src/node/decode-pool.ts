import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RgbImage } from '../image.js';
import { SampleSkipError, type SkipReason } from '../loader/sample-source.js';
import type { DecodeReply, DecodeRequest } from './decode-messages.js';
import { loadSharp } from './load-sharp.js';

interface PendingTask {
  request: DecodeRequest;
  resolve: (image: RgbImage) => void;
  reject: (error: unknown) => void;
  /** Being decoded (again) with nothing else running in any worker. */
  alone?: boolean;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, PendingTask>;
}

/**
 * Decodes (and center-crops) image files on `size` worker threads, so decoding runs in parallel
 * with training on the main thread. Tasks go to the least busy worker; a worker that dies is
 * replaced and its tasks fail (the loader skips them). Idle workers do not keep Node alive.
 *
 * libvips has one error buffer per process, shared by all workers, so a failed decode may have
 * read another file's message. Each failed decode is therefore repeated alone: new tasks wait,
 * running ones finish, the file is decoded with nothing else running, and its own message is
 * reported (failures are rare; good files never wait for this).
 *
 * ```ts
 * const pool = new DecodePool(2);
 * const image = await pool.decode('cat.jpg', 256); // [256, 256, 3]
 * await pool.close();
 * ```
 */
export class DecodePool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 0;
  private closed = false;
  /** Tasks posted to a worker and not answered yet. */
  private inFlight = 0;
  /** Failed tasks to decode again alone, one at a time. */
  private readonly aloneQueue: PendingTask[] = [];
  private aloneRunning = false;
  /** New tasks held back while failed ones are redone alone. */
  private readonly held: PendingTask[] = [];

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`DecodePool: size must be an integer ≥ 1, found ${size}`);
    loadSharp(); // throws the install hint here rather than crashing every worker
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  /** Decodes `path` to RGB (within `maxPixels`, default 64 Mpx), then ADM-center-crops it to `cropSize` when given. → [H, W, 3] */
  decode(path: string, cropSize?: number, maxPixels?: number): Promise<RgbImage> {
    if (this.closed) return Promise.reject(new Error('DecodePool: decode() after close()'));
    const request: DecodeRequest = { id: this.nextId++, path, size: cropSize, maxPixels };
    return new Promise<RgbImage>((resolve, reject) => {
      const task: PendingTask = { request, resolve, reject };
      if (this.aloneRunning || this.aloneQueue.length > 0) this.held.push(task);
      else this.post(task);
    });
  }

  private post(task: PendingTask): void {
    const target = this.workers.reduce((best, w) => (w.pending.size < best.pending.size ? w : best));
    target.pending.set(task.request.id, task);
    this.inFlight++;
    target.worker.ref();
    target.worker.postMessage(task.request);
  }

  /** Next step of the schedule: a failed task alone once nothing runs, else the held tasks. */
  private pump(): void {
    if (this.closed || this.aloneRunning) return;
    if (this.aloneQueue.length > 0) {
      if (this.inFlight > 0) return;
      this.aloneRunning = true;
      this.post(this.aloneQueue.shift()!);
      return;
    }
    for (const task of this.held.splice(0)) this.post(task);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of [...this.held.splice(0), ...this.aloneQueue.splice(0)]) task.reject(new Error('DecodePool: closed before this file was decoded'));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private spawn(): PoolWorker {
    const script = workerEntry();
    const worker = new Worker(script.script, { eval: script.eval });
    const entry: PoolWorker = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: DecodeReply) => {
      const task = entry.pending.get(reply.id);
      if (!task) return;
      entry.pending.delete(reply.id);
      this.inFlight--;
      if (entry.pending.size === 0) worker.unref();
      if (task.alone) this.aloneRunning = false;
      const path = task.request.path;
      if (reply.error && !task.alone && DECODER_FAILURES.has(reply.error.reason)) {
        task.alone = true; // its message may be another file's: decode it again alone
        this.aloneQueue.push(task);
      } else if (reply.error) {
        const detail = reply.error.message.startsWith(`${path}: `) ? reply.error.message.slice(path.length + 2) : reply.error.message;
        task.reject(new SampleSkipError(reply.error.reason, path, detail));
      } else {
        task.resolve({ width: reply.width, height: reply.height, data: new Uint8Array(reply.data.buffer, reply.data.byteOffset, reply.data.length) });
      }
      this.pump();
    });
    const fail = (why: string) => {
      for (const task of entry.pending.values()) {
        if (task.alone) this.aloneRunning = false;
        task.reject(new SampleSkipError('failed', task.request.path, `decode worker ${why}`));
      }
      this.inFlight -= entry.pending.size;
      entry.pending.clear();
      const index = this.workers.indexOf(entry);
      if (!this.closed && index >= 0) this.workers[index] = this.spawn();
      this.pump();
    };
    worker.on('error', (error) => fail(`crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) fail(`exited with code ${code}`);
    });
    return entry;
  }
}

/** Failures whose message comes from libvips' shared error buffer (ours, such as 'too-large', do not). */
const DECODER_FAILURES = new Set<SkipReason>(['corrupt', 'truncated']);

/**
 * The worker: the built `decode-worker.js` beside this module (dist), or, when running from the
 * TypeScript sources (tests, tsx), a small bootstrap that registers tsx in the worker and then
 * imports `decode-worker.ts` (Node does not pass `--import` loaders on to workers).
 */
function workerEntry(): { script: string | URL; eval: boolean } {
  const built = new URL('./decode-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { script: built, eval: false };
  const source = new URL('./decode-worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) {
    throw new Error(`DecodePool: no decode-worker.js beside ${fileURLToPath(import.meta.url)}; rebuild @pixelrepa/data`);
  }
  let tsxApi: string;
  try {
    // The ESM build of tsx's API, looked up through tsx's own exports map.
    const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
    tsxApi = pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default)).href;
  } catch {
    throw new Error('DecodePool: running from TypeScript sources needs the "tsx" package to load the worker; install it or use the built package');
  }
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
  return { script: bootstrap, eval: true };
}
