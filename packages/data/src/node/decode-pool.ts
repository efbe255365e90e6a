import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RgbImage } from '../image.js';
import { SampleSkipError } from '../loader/sample-source.js';
import type { DecodeReply, DecodeRequest } from './decode-messages.js';
import { loadSharp } from './load-sharp.js';

interface PendingTask {
  path: string;
  resolve: (image: RgbImage) => void;
  reject: (error: unknown) => void;
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

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`DecodePool: size must be an integer ≥ 1, found ${size}`);
    loadSharp(); // throws the install hint here rather than crashing every worker
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  /** Decodes `path` to RGB, then ADM-center-crops it to `cropSize` when given. → [H, W, 3] */
  decode(path: string, cropSize?: number): Promise<RgbImage> {
    if (this.closed) return Promise.reject(new Error('DecodePool: decode() after close()'));
    const target = this.workers.reduce((best, w) => (w.pending.size < best.pending.size ? w : best));
    const id = this.nextId++;
    return new Promise<RgbImage>((resolve, reject) => {
      target.pending.set(id, { path, resolve, reject });
      target.worker.ref();
      const request: DecodeRequest = { id, path, size: cropSize };
      target.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
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
      if (entry.pending.size === 0) worker.unref();
      if (reply.error) {
        const detail = reply.error.message.startsWith(`${task.path}: `) ? reply.error.message.slice(task.path.length + 2) : reply.error.message;
        task.reject(new SampleSkipError(reply.error.reason, task.path, detail));
      } else {
        task.resolve({ width: reply.width, height: reply.height, data: new Uint8Array(reply.data.buffer, reply.data.byteOffset, reply.data.length) });
      }
    });
    const fail = (why: string) => {
      for (const task of entry.pending.values()) task.reject(new SampleSkipError('failed', task.path, `decode worker ${why}`));
      entry.pending.clear();
      const index = this.workers.indexOf(entry);
      if (!this.closed && index >= 0) this.workers[index] = this.spawn();
    };
    worker.on('error', (error) => fail(`crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) fail(`exited with code ${code}`);
    });
    return entry;
  }
}

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
