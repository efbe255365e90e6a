import type { Benchmark } from './benchmark.js';
import { dataBenchmark } from './data.js';
import { encoderBenchmark } from './encoder.js';
import { inceptionBenchmark } from './inception.js';
import { jitForwardBenchmark } from './jit-forward.js';
import { matmulBenchmark } from './matmul.js';
import { profileStepBenchmark } from './profile-step.js';
import { sampleBenchmark } from './sample.js';
import { trainStepBenchmark } from './train-step.js';

/** Every benchmark of `pixelrepa bench <name>` and `npm run bench -- <name>`; add one with a line here. */
export const benchmarks: Readonly<Record<string, Benchmark<any>>> = {
  matmul: matmulBenchmark,
  data: dataBenchmark,
  encoder: encoderBenchmark,
  inception: inceptionBenchmark,
  'jit-forward': jitForwardBenchmark,
  'train-step': trainStepBenchmark,
  'profile-step': profileStepBenchmark,
  sample: sampleBenchmark,
};
