// Time per sampling step. On WASM (and CPU) a step is computed when it is issued, so the time
// between the sampler's `onStep` calls is real. On WebGPU and WebGL the sampler only queues the
// work: every step would look done at once. There the clock reads one value of each step's new z
// as soon as the step is queued; the read resolves when the GPU has got that far, which is when
// the step counts as done. (A synchronous read would also wait, but on WebGPU in a Chromium worker
// it breaks the device.)
import { tf, type Tensor } from '@pixelrepa/tensor';
import type { GridHooks } from './grid.js';

export interface StepClock extends Required<Pick<GridHooks, 'onStep' | 'record'>> {
  /** Milliseconds each finished step took, in order. */
  readonly stepMs: number[];
  /** Resolves once every queued step has been timed (GPU backends). */
  settled(): Promise<void>;
}

export function stepClock({ gpu, onStep }: { gpu: boolean; onStep: (step: number, steps: number, ms: number) => void }): StepClock {
  const stepMs: number[] = [];
  const pending: Array<Promise<void>> = [];
  let last = performance.now();
  let steps = 0;
  const finish = (step: number) => {
    const now = performance.now();
    stepMs.push(now - last);
    last = now;
    onStep(step, steps, stepMs[stepMs.length - 1]);
  };
  const record = (name: string, value: Tensor) => {
    // The sampler hands the time grid over as a fresh tensor for the recorder to keep; we don't.
    if (name === 't_grid') value.dispose();
    else if (gpu && name.startsWith('z_step_')) {
      const step = Number(name.slice('z_step_'.length)) + 1;
      const marker = tf.keep(tf.slice(value, [0, 0, 0, 0], [1, 1, 1, 1]));
      pending.push(
        marker
          .data()
          .then(
            () => finish(step),
            () => finish(step),
          )
          .finally(() => marker.dispose()),
      );
    }
  };
  return {
    stepMs,
    record,
    onStep(step, total) {
      steps = total;
      if (!gpu) finish(step);
    },
    settled: () => Promise.all(pending).then(() => undefined),
  };
}
