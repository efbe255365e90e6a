import { JiT, jitConfig, jitForwardMacs, sample } from '@pixelrepa/jit';
import { createRng, tf } from '@pixelrepa/tensor';
import { defineFlags } from '../flags.js';
import { defineBenchmark, round } from './benchmark.js';
import { caseJobs, caseRuns, modelCaseFlags, modelCases, type CaseSettings, type ModelCase } from './cases.js';
import { backendTargets, benchNote, measurePerBackend } from './per-backend.js';

interface Settings extends CaseSettings {
  steps: number;
  cfg: number;
}

const defaults: ModelCase[] = [
  { preset: 'JiT-Tiny/4', batch: 16 },
  { preset: 'JiT-B/16', batch: 1 },
];
/** Guided velocities of a Heun run: two per step, the last step Euler. */
const evaluations = (steps: number) => 2 * steps - 1;

/**
 * Heun sampling with classifier-free guidance (each velocity is one forward of 2B images: the
 * conditional and the null-class branch), random weights, read back at the end.
 */
export const sampleBenchmark = defineBenchmark({
  name: 'sample',
  about: 'seconds per image of 50-step Heun + CFG sampling per backend (JiT-Tiny/4 ×16 and JiT-B/16 ×1 at 256 px; random weights)',
  description: [
    'One timed sampling run per case after a warm-up forward. --steps shortens it for a quick look; the 50-step figure',
    'is then extrapolated per network evaluation: secondsPerImageAt50Steps = seconds / (2·steps − 1) · 99 / batch.',
  ].join('\n'),
  flags: defineFlags({
    ...modelCaseFlags,
    steps: { type: 'integer', value: 'n', default: 50, description: 'ODE steps (Heun, the last one Euler)' },
    cfg: { type: 'number', value: 'w', default: 2.9, description: 'guidance scale (CFG on the default interval 0.1 < t < 1)' },
  }),
  examples: ['pixelrepa bench sample --steps 5', 'pixelrepa bench sample --preset JiT-B/16 --batch 4 --backend webgpu'],
  async run(values, { stderr }) {
    const cases = modelCases(values, defaults);
    cases.forEach((c) => jitConfig(c.preset));
    const results = await measurePerBackend({
      workload: 'transformer',
      name: 'sample',
      jobs: caseJobs(backendTargets(values.backend, values.threads), cases, (target, c): Settings => ({
        ...c,
        ...caseRuns(target, 1),
        steps: values.steps,
        cfg: values.cfg,
      })),
      measure,
      stderr,
      timeoutSeconds: values.timeout,
    });
    return {
      sampler: `Heun, ${values.steps} steps (${evaluations(values.steps)} guided velocities, each a forward of 2 × batch), cfg ${values.cfg}`,
      extrapolation: 'secondsPerImageAt50Steps = seconds / (2·steps − 1) · 99 / batch',
      results,
    };
  },
});

async function measure({ preset, batch, steps, cfg, warmUp }: Settings): Promise<object> {
  const config = jitConfig(preset);
  benchNote(`${preset} ×${batch}: ${steps} Heun steps`);
  const rng = createRng(0);
  const model = new JiT(config, { random: rng }).eval();
  const labels = rng.randint([batch], { high: config.numClasses });
  const noise = rng.normal([batch, config.inputSize, config.inputSize, config.inChannels]);
  try {
    if (warmUp) {
      const warm = tf.tidy(() => model.forward(tf.concat([noise, noise]), tf.fill([2 * batch], 0.5), tf.concat([labels, labels])));
      await warm.data();
      warm.dispose();
    }
    const start = performance.now();
    const images = sample(model, {
      labels,
      noise,
      steps,
      method: 'heun',
      cfg,
      interval: [0.1, 1],
      onStep: (step) => benchNote(`${preset} ×${batch}: step ${step}/${steps} at ${((performance.now() - start) / 1000).toFixed(1)} s`),
    });
    await images.data();
    images.dispose();
    const seconds = (performance.now() - start) / 1000;
    const perEvaluation = seconds / evaluations(steps);
    return {
      imageSize: config.inputSize,
      steps,
      secondsPerImage: round(seconds / batch, 3),
      secondsPerStep: round(seconds / steps, 4),
      secondsPerImageAt50Steps: round((perEvaluation * evaluations(50)) / batch, 3),
      gflopsPerSecond: round((2 * jitForwardMacs(config) * 2 * batch * evaluations(steps)) / seconds / 1e9, 2),
    };
  } finally {
    tf.dispose([labels, noise]);
    model.dispose();
  }
}
