// The status lines: which backend runs and why, and how long a step took.
import type { BackendInfo } from '@pixelrepa/tensor';
import type { GridSettings } from '../grid.js';
import type { Sampled } from './sampler-client.js';

const names: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** `Backend: WASM — best available here (…) (2 threads, SIMD). Passed over: webgpu: only a software adapter …` */
export function describeBackend(info: BackendInfo): string {
  const passedOver = (info.tried ?? []).filter((attempt) => !attempt.ok);
  const why = passedOver.length ? ` Passed over: ${passedOver.map((attempt) => `${attempt.name}: ${attempt.reason}`).join('; ')}.` : '';
  return `Backend: ${names[info.name] ?? info.name} — ${info.reason}.${why}`;
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`);

/** `4 steps in 1.2 s: 300 ms per step (first 700 ms: compiles the GPU programs; then 170 ms) …` */
export function describeTiming({ stepMs, totalMs }: Sampled, settings: GridSettings): string {
  const images = settings.classes.length * settings.perClass;
  const steps = stepMs.length;
  const mean = stepMs.reduce((sum, value) => sum + value, 0) / Math.max(steps, 1);
  const rest = stepMs.slice(1);
  const later = rest.length ? rest.reduce((sum, value) => sum + value, 0) / rest.length : mean;
  const evaluations = settings.method === 'heun' ? 2 * steps - 1 : steps;
  let text = `${images} images, ${steps} ${settings.method} steps in ${ms(totalMs)}: ${ms(mean)} per step`;
  if (rest.length) text += ` (first ${ms(stepMs[0])}, includes setting up the kernels; then ${ms(later)})`;
  text += `; each step evaluates the model on ${2 * images} images (conditional + unconditional), ${evaluations} evaluations in all.`;
  return text;
}
