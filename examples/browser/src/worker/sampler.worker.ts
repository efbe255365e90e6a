// The sampling worker: starts one backend, loads one checkpoint, then samples grids on request.
// Sampling runs here so that the page stays responsive while WASM computes (synchronously). The
// page makes a new worker to change the backend or the checkpoint.
import { initBackend, type BackendInfo } from '@pixelrepa/tensor';
import { JiT, jitParameterCount, loadJiTWeights } from '@pixelrepa/jit';
import { readPageCheckpoint, type ModelDescription, type PageCheckpoint } from '../checkpoint.js';
import { sampleGrid } from '../grid.js';
import { stepClock } from '../step-clock.js';
import type { BackendChoice, FromWorker, ToWorker } from '../protocol.js';
import { fetchBytes, fetchJson } from './fetch-bytes.js';

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker) => scope.postMessage(message);

let backend: BackendInfo | undefined;
let loaded: { model: JiT; checkpoint: Omit<PageCheckpoint, 'state'> } | undefined;

function startBackend(choice: BackendChoice, allowSoftwareGpu: boolean, wasmPaths: string): Promise<BackendInfo> {
  if (choice === 'auto') return initBackend('auto', { candidates: ['webgpu', 'webgl', 'wasm'], allowSoftwareGpu, wasmPaths });
  return initBackend(choice, { wasmPaths });
}

async function start(request: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  if (backend) throw new Error('this worker has already started; the page makes a new worker for another backend or checkpoint');
  backend = await startBackend(request.backend, request.allowSoftwareGpu, request.wasmPaths);
  post({ type: 'backend', info: backend });
  const bytes = await fetchBytes(request.checkpointUrl, (done, total) => post({ type: 'download', loaded: done, total })).catch((error: Error) => {
    if (!/HTTP 404/.test(error.message)) throw error;
    throw new Error(
      `no checkpoint at ${request.checkpointUrl} (HTTP 404). To sample the quickstart's model, train it (npm start) and export it into the page's public/ folder: ` +
        'npm run -w @pixelrepa/example-browser export-checkpoint -- ../../out/quickstart/checkpoint.safetensors',
    );
  });
  const { configUrl } = request;
  const describe = configUrl ? () => fetchJson<ModelDescription>(configUrl, 'plain JiT weights need a model description') : undefined;
  const { state, ...checkpoint } = await readPageCheckpoint(bytes, describe);
  const model = new JiT(checkpoint.config);
  try {
    loadJiTWeights(model, state);
  } catch (error) {
    model.dispose();
    throw error;
  }
  model.eval();
  loaded = { model, checkpoint };
  post({ type: 'loaded', config: checkpoint.config, description: checkpoint.description, parameters: jitParameterCount(checkpoint.config) });
}

async function sampleRequest({ settings }: Extract<ToWorker, { type: 'sample' }>): Promise<void> {
  if (!loaded || !backend) throw new Error('no model loaded yet');
  const gpu = backend.name === 'webgpu' || backend.name === 'webgl';
  const clock = stepClock({ gpu, onStep: (step, steps, ms) => post({ type: 'step', step, steps, ms }) });
  const started = performance.now();
  const images = await sampleGrid(loaded.model, settings, {
    noiseScale: loaded.checkpoint.noiseScale,
    tEps: loaded.checkpoint.tEps,
    onStep: clock.onStep,
    record: clock.record,
  });
  await clock.settled();
  post({ type: 'done', images, stepMs: clock.stepMs, totalMs: performance.now() - started });
}

// One request at a time, in order.
let queue = Promise.resolve();
scope.onmessage = (event) => {
  const request = event.data;
  queue = queue
    .then(() => (request.type === 'start' ? start(request) : sampleRequest(request)))
    .catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
};
