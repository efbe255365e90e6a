import { JiT, jitConfig, jitForwardMacs } from '@pixelrepa/jit';
import { createRng, tf } from '@pixelrepa/tensor';
import { defineBenchmark, medianSeconds, round } from './benchmark.js';
import { caseJobs, caseRuns, modelCaseFlags, modelCases, type CaseSettings, type ModelCase } from './cases.js';
import { backendTargets, benchNote, measurePerBackend } from './per-backend.js';

const defaults: ModelCase[] = [
  { preset: 'JiT-B/16', batch: 1 },
  { preset: 'JiT-Tiny/4', batch: 32 },
];
const formula = 'gflopsPerSecond = 2 · jitForwardMacs(config) · batch / seconds / 1e9 (matmul MACs of one forward; elementwise work not counted)';

/** One JiT forward (x-prediction, eval mode, random weights) per backend. */
export const jitForwardBenchmark = defineBenchmark({
  name: 'jit-forward',
  about: 'images/s and GFLOP/s of one JiT forward per backend (JiT-B/16 ×1 and JiT-Tiny/4 ×32; random weights)',
  description: `Times model.forward(z, t, y) with the result read back (await data()).\n${formula}.`,
  flags: modelCaseFlags,
  examples: ['pixelrepa bench jit-forward', 'pixelrepa bench jit-forward --preset JiT-L/16 --batch 2 --backend wasm,webgpu'],
  async run(values, { stderr }) {
    const cases = modelCases(values, defaults);
    cases.forEach((c) => jitConfig(c.preset)); // unknown presets fail here, not in every child
    const results = await measurePerBackend({
      workload: 'transformer',
      name: 'jit-forward',
      jobs: caseJobs(backendTargets(values.backend, values.threads), cases, (target, c) => ({ ...c, ...caseRuns(target, values.runs) })),
      measure,
      stderr,
      timeoutSeconds: values.timeout,
    });
    return { flops: formula, timing: 'median of runs after one warm-up forward (cpu: one run, no warm-up); one child process per backend and case', results };
  },
});

async function measure({ preset, batch, runs, warmUp }: CaseSettings): Promise<object> {
  const config = jitConfig(preset);
  benchNote(`${preset} ×${batch}: building, then ${warmUp ? '1 + ' : ''}${runs} forwards`);
  const rng = createRng(0);
  const buildStart = performance.now();
  const model = new JiT(config, { random: rng }).eval();
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const z = rng.normal([batch, config.inputSize, config.inputSize, config.inChannels]);
  const t = rng.uniform([batch]);
  const y = rng.randint([batch], { high: config.numClasses });
  const once = async () => {
    const start = performance.now();
    const x = model.forward(z, t, y);
    await x.data();
    x.dispose();
    return (performance.now() - start) / 1000;
  };
  try {
    const seconds = await medianSeconds(once, { warmUp, runs });
    return {
      imageSize: config.inputSize,
      runs,
      imagesPerSecond: round(batch / seconds, 3),
      medianMsPerBatch: round(seconds * 1000, 1),
      gmacsPerImage: round(jitForwardMacs(config) / 1e9, 3),
      gflopsPerSecond: round((2 * jitForwardMacs(config) * batch) / seconds / 1e9, 2),
      buildSeconds: round(buildSeconds, 2),
    };
  } finally {
    tf.dispose([z, t, y]);
    model.dispose();
  }
}
