// The page's side of the sampling worker: requests become promises, progress becomes callbacks.
import type { BackendInfo } from '@pixelrepa/tensor';
import type { GridSettings } from '../grid.js';
import type { FromWorker, ToWorker } from '../protocol.js';

export type Loaded = Extract<FromWorker, { type: 'loaded' }>;
export type Sampled = Extract<FromWorker, { type: 'done' }>;

export interface SamplerEvents {
  onBackend(info: BackendInfo): void;
  onDownload(loaded: number, total?: number): void;
  onStep(step: number, steps: number, ms: number): void;
}

/** The worker was replaced (another backend or checkpoint) before it answered. */
export class SamplerReplaced extends Error {
  constructor() {
    super('the sampling worker was replaced');
    this.name = 'SamplerReplaced';
  }
}

interface Pending {
  resolve(message: FromWorker): void;
  reject(error: Error): void;
}

/** One worker = one backend and one checkpoint; make a new client to change either. */
export class SamplerClient {
  private readonly worker = new Worker(new URL('../worker/sampler.worker.ts', import.meta.url), { type: 'module' });
  private pending: Pending | undefined;

  constructor(private readonly events: SamplerEvents) {
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => this.fail(new Error(`the sampling worker failed to run: ${event.message || 'its script did not load'}`));
  }

  /** Starts the backend and loads the checkpoint. */
  start(request: Extract<ToWorker, { type: 'start' }>): Promise<Loaded> {
    return this.request(request) as Promise<Loaded>;
  }

  sample(settings: GridSettings): Promise<Sampled> {
    return this.request({ type: 'sample', settings }) as Promise<Sampled>;
  }

  terminate(): void {
    this.worker.terminate();
    this.fail(new SamplerReplaced());
  }

  private request(message: ToWorker): Promise<FromWorker> {
    if (this.pending) return Promise.reject(new Error('the worker is busy with the previous request'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'backend':
        return this.events.onBackend(message.info);
      case 'download':
        return this.events.onDownload(message.loaded, message.total);
      case 'step':
        return this.events.onStep(message.step, message.steps, message.ms);
      case 'error':
        return this.fail(new Error(message.message));
      default: {
        const pending = this.pending;
        this.pending = undefined;
        pending?.resolve(message);
      }
    }
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
