// A class-conditional grid: one row per class, `perClass` images in each. Everything random comes
// from `createRng(seed)`, which makes the same numbers on every backend, so a grid depends only on
// the checkpoint, the settings and the backend's float arithmetic. The page's worker and the Node
// test both sample through this function.
import { tf, createRng, type Tensor } from '@pixelrepa/tensor';
import { sample, toUint8Images, type JiT, type SamplingMethod } from '@pixelrepa/jit';

export interface GridSettings {
  /** One row per class, top to bottom. */
  classes: number[];
  perClass: number;
  steps: number;
  cfg: number;
  method: SamplingMethod;
  seed: number;
  /** Guidance applies where low < t < high (default [0.1, 1]). */
  interval?: [number, number];
}

export interface GridImages {
  /** uint8 RGB, [rows · cols, size, size, 3] row-major: image (r, c) is class `classes[r]`. */
  pixels: Uint8Array;
  rows: number;
  cols: number;
  size: number;
}

export interface GridHooks {
  noiseScale?: number;
  tEps?: number;
  onStep?: (step: number, steps: number) => void;
  record?: (name: string, value: Tensor) => void;
}

/** The label of every image, row-major. */
export function gridLabels({ classes, perClass }: Pick<GridSettings, 'classes' | 'perClass'>): number[] {
  return classes.flatMap((label) => Array.from({ length: perClass }, () => label));
}

/** Checks settings against the model and says what is wrong. */
export function checkGridSettings(settings: GridSettings, numClasses: number): void {
  const problems: string[] = [];
  if (settings.classes.length === 0) problems.push('pick at least one class');
  const outside = settings.classes.filter((label) => !Number.isInteger(label) || label < 0 || label >= numClasses);
  if (outside.length) problems.push(`class${outside.length > 1 ? 'es' : ''} ${outside.join(', ')} outside 0…${numClasses - 1} (this model has ${numClasses})`);
  if (!Number.isInteger(settings.perClass) || settings.perClass < 1) problems.push(`images per class must be a positive integer, got ${settings.perClass}`);
  if (!Number.isInteger(settings.steps) || settings.steps < 1) problems.push(`steps must be a positive integer, got ${settings.steps}`);
  if (!Number.isFinite(settings.cfg)) problems.push(`cfg must be a number, got ${settings.cfg}`);
  if (!Number.isSafeInteger(settings.seed)) problems.push(`the seed must be an integer, got ${settings.seed}`);
  if (problems.length) throw new Error(problems.join('; '));
}

/** Samples the grid with the active backend. */
export async function sampleGrid(model: JiT, settings: GridSettings, hooks: GridHooks = {}): Promise<GridImages> {
  const { inputSize: size, inChannels, numClasses } = model.config;
  checkGridSettings(settings, numClasses);
  const labelList = gridLabels(settings);
  const labels = tf.tensor1d(labelList, 'int32');
  const noise = createRng(settings.seed).normal([labelList.length, size, size, inChannels]);
  let images: Tensor | undefined;
  let pixels: Tensor | undefined;
  try {
    images = sample(model, {
      labels,
      noise,
      steps: settings.steps,
      method: settings.method,
      cfg: settings.cfg,
      interval: settings.interval ?? [0.1, 1],
      noiseScale: hooks.noiseScale,
      tEps: hooks.tEps,
      onStep: hooks.onStep,
      record: hooks.record,
    });
    pixels = toUint8Images(images);
    const values = await pixels.data();
    return { pixels: Uint8Array.from(values), rows: settings.classes.length, cols: settings.perClass, size };
  } finally {
    tf.dispose([labels, noise, ...(images ? [images] : []), ...(pixels ? [pixels] : [])]);
  }
}
