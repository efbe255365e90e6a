// The page: a form, a worker that samples, a canvas. The state the page is in (and the last
// result) is also published on `window.pixelrepaPage` and `<body data-state>` for tests.
import type { BackendInfo } from '@pixelrepa/tensor';
import type { SamplingMethod } from '@pixelrepa/jit';
import type { GridImages, GridSettings } from './grid.js';
import type { BackendChoice } from './protocol.js';
import { defaultConfigUrl, readUrlOptions } from './page/url-options.js';
import { SamplerClient, SamplerReplaced, type Loaded, type Sampled } from './page/sampler-client.js';
import { drawGrid } from './page/draw-grid.js';
import { describeBackend, describeTiming } from './page/describe.js';

type PageState = 'starting' | 'loading' | 'ready' | 'sampling' | 'done' | 'error';

/** What tests read. */
interface PageReport {
  state: PageState;
  backend?: BackendInfo;
  model?: Omit<Loaded, 'type'>;
  result?: Omit<GridImages, 'pixels'> & { pixels: number[]; stepMs: number[]; totalMs: number };
  error?: string;
}
const report: PageReport = { state: 'starting' };
(window as unknown as { pixelrepaPage: PageReport }).pixelrepaPage = report;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = element<HTMLFormElement>('settings');
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const checkbox = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
const progress = element<HTMLProgressElement>('progress');
const sampleButton = element<HTMLButtonElement>('sample');

function setState(state: PageState): void {
  report.state = state;
  document.body.dataset.state = state;
  sampleButton.disabled = state !== 'ready' && state !== 'done';
}

function showError(error: unknown): void {
  // A request of a worker that a new one replaced: the new one reports for itself.
  if (error instanceof SamplerReplaced) return;
  const message = error instanceof Error ? error.message : String(error);
  report.error = message;
  const box = element<HTMLParagraphElement>('error');
  box.textContent = message;
  box.hidden = false;
  setState('error');
}

function clearError(): void {
  report.error = undefined;
  element<HTMLParagraphElement>('error').hidden = true;
}

/** Class checkboxes for a model with `numClasses` classes; `checked` ones start ticked. */
function renderClasses(numClasses: number, checked: number[]): void {
  const box = element<HTMLFieldSetElement>('classes');
  box.replaceChildren(Object.assign(document.createElement('legend'), { textContent: `Classes (one row each; ${numClasses} in this model)` }));
  for (let label = 0; label < numClasses; label++) {
    const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'class', value: String(label), checked: checked.includes(label) });
    const wrapper = document.createElement('label');
    wrapper.append(input, ` ${label}`);
    box.append(wrapper);
  }
}

function readSettings(): GridSettings {
  const classes = Array.from(form.querySelectorAll<HTMLInputElement>('input[name="class"]:checked'), (input) => Number(input.value));
  return {
    classes,
    perClass: Number(field('perClass').value),
    steps: Number(field('steps').value),
    method: field('method').value as SamplingMethod,
    cfg: Number(field('cfg').value),
    seed: Number(field('seed').value),
  };
}

let client: SamplerClient | undefined;

async function load(): Promise<void> {
  client?.terminate();
  clearError();
  setState('loading');
  progress.value = 0;
  element('backend').textContent = 'Backend: starting…';
  element('model').textContent = '';
  const checkpoint = field('checkpoint').value;
  const config = field('config').value || defaultConfigUrl(checkpoint);
  const current = new SamplerClient({
    onBackend: (info) => {
      report.backend = info;
      element('backend').textContent = describeBackend(info);
    },
    onDownload: (loaded, total) => {
      element('model').textContent = `Downloading ${checkpoint}: ${(loaded / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB`;
      if (total) progress.value = loaded / total;
    },
    onStep: (step, steps) => {
      progress.value = step / steps;
    },
  });
  client = current;
  const loaded = await current.start({
    type: 'start',
    backend: field('backend').value as BackendChoice,
    allowSoftwareGpu: checkbox('allowSoftwareGpu').checked,
    wasmPaths: new URL('tfjs-wasm/', document.baseURI).href,
    checkpointUrl: new URL(checkpoint, document.baseURI).href,
    configUrl: new URL(config, document.baseURI).href,
  });
  const { type: _type, ...model } = loaded;
  report.model = model;
  const { config: jit } = loaded;
  element('model').textContent =
    `Model: ${checkpoint} (${loaded.description}): ${jit.inputSize} px, patch ${jit.patchSize}, width ${jit.hiddenSize}, depth ${jit.depth}, ${(loaded.parameters / 1e6).toFixed(2)} M parameters`;
  const wanted = urlOptions.classes ?? Array.from({ length: Math.min(jit.numClasses, 10) }, (_, i) => i);
  renderClasses(jit.numClasses, wanted);
  setState('ready');
}

async function sampleNow(): Promise<void> {
  if (!client) return;
  clearError();
  setState('sampling');
  progress.value = 0;
  const settings = readSettings();
  element('timing').textContent = `Sampling ${settings.classes.length} × ${settings.perClass} images, ${settings.steps} steps…`;
  const done: Sampled = await client.sample(settings);
  drawGrid(element<HTMLCanvasElement>('grid'), done.images);
  element('timing').textContent = describeTiming(done, settings);
  const { pixels, ...shape } = done.images;
  report.result = { ...shape, pixels: Array.from(pixels), stepMs: done.stepMs, totalMs: done.totalMs };
  setState('done');
}

const urlOptions = readUrlOptions(location.search);
field('checkpoint').value = urlOptions.checkpoint;
field('config').value = urlOptions.config;
field('backend').value = urlOptions.backend;
checkbox('allowSoftwareGpu').checked = urlOptions.allowSoftwareGpu;
for (const [name, value] of Object.entries(urlOptions.fields)) field(name).value = value;

element('load').addEventListener('click', () => load().catch(showError));
for (const name of ['backend', 'allowSoftwareGpu']) field(name).addEventListener('change', () => load().catch(showError));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  sampleNow().catch(showError);
});

load()
  .then(() => (urlOptions.run ? sampleNow() : undefined))
  .catch(showError);
