// The page's query string pre-fills the form, so a link (or a test) can ask for an exact grid:
// ?checkpoint=quickstart.safetensors&backend=wasm&classes=0,1&perClass=2&steps=4&cfg=2&seed=0&run=1
import { backendChoices, type BackendChoice } from '../protocol.js';

/** The checkpoint the page opens when the URL names none (written by `npm run export-checkpoint`). */
export const defaultCheckpoint = 'quickstart.safetensors';

/** Where the model description of plain JiT weights is looked for: beside them, `.json` for `.safetensors`. */
export function defaultConfigUrl(checkpoint: string): string {
  return `${checkpoint.replace(/\.safetensors$/, '')}.json`;
}

export interface UrlOptions {
  checkpoint: string;
  /** A model description (JSON), needed for plain JiT weights only; empty: `defaultConfigUrl`. */
  config: string;
  backend: BackendChoice;
  allowSoftwareGpu: boolean;
  /** Rows of the grid; default: every class (up to 10). */
  classes?: number[];
  /** Form fields given in the URL (perClass, steps, method, cfg, seed). */
  fields: Record<string, string>;
  /** Sample as soon as the model is loaded. */
  run: boolean;
}

export function readUrlOptions(search: string): UrlOptions {
  const query = new URLSearchParams(search);
  const backend = (query.get('backend') ?? 'auto') as BackendChoice;
  if (!backendChoices.includes(backend)) throw new Error(`?backend=${backend} is not one of ${backendChoices.join(', ')}`);
  const classes = query.get('classes')?.split(',').filter(Boolean).map(Number);
  const fields: Record<string, string> = {};
  for (const name of ['perClass', 'steps', 'method', 'cfg', 'seed']) {
    const value = query.get(name);
    if (value !== null) fields[name] = value;
  }
  return {
    checkpoint: query.get('checkpoint') ?? defaultCheckpoint,
    config: query.get('config') ?? '',
    backend,
    allowSoftwareGpu: query.get('allowSoftwareGpu') === '1',
    classes,
    fields,
    run: query.get('run') === '1',
  };
}
