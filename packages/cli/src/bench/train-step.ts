import { drawFlow, jitConfig, jitForwardMacs } from '@pixelrepa/jit';
import { smallViTProcedural } from '@pixelrepa/encoders';
import { createRng, tf } from '@pixelrepa/tensor';
import { buildTrainingModules, resolveTrainConfig, trainStep, type StepPhase } from '@pixelrepa/train';
import { defineFlags } from '../flags.js';
import { defineBenchmark, medianSeconds, round } from './benchmark.js';
import { caseJobs, caseRuns, modelCaseFlags, modelCases, type CaseSettings, type ModelCase } from './cases.js';
import { backendTargets, benchNote, measurePerBackend } from './per-backend.js';

interface Settings extends CaseSettings {
  targetWidth: number;
  remat: boolean | 'auto';
}

const defaults: ModelCase[] = [
  { preset: 'JiT-Tiny/4', batch: 32 },
  { preset: 'JiT-B/16', batch: 1 },
];
const formula =
  'approxGflopsPerSecond = 3 · 2 · jitForwardMacs(config) · batch / seconds / 1e9 (backward ≈ 2 × forward; the adapter, AdamW and the EMAs are not counted)';

/**
 * One training step as the trainer runs it: JiT + MTA forward, PixelREPA loss, backward, AdamW,
 * both EMAs. The frozen encoder is not run: a random tensor of its token shape stands in for the target.
 */
export const trainStepBenchmark = defineBenchmark({
  name: 'train-step',
  about: 'images/s of a PixelREPA training step (JiT + MTA forward, backward, AdamW, EMAs) per backend',
  description: `The encoder target is a random [B, N, Dz] tensor (Dz = 96 for JiT-Tiny/4, as its SmallViT; 768 = DINOv2 ViT-B otherwise).\n${formula}.`,
  flags: defineFlags({
    ...modelCaseFlags,
    target_width: { type: 'integer', value: 'Dz', description: 'width of the stand-in target tokens (default: 96 for JiT-Tiny/4, 768 otherwise)' },
    remat: {
      type: 'string',
      value: 'when',
      default: 'auto',
      choices: ['auto', 'on', 'off'],
      description: "recompute the blocks' activations in the backward pass (as the trainer's --remat; auto = when the step would crowd wasm's heap)",
    },
  }),
  examples: ['pixelrepa bench train-step', 'pixelrepa bench train-step --preset JiT-Tiny/4 --batch 64 --backend cpu,wasm --threads 1,2'],
  async run(values, { stderr }) {
    const cases = modelCases(values, defaults);
    cases.forEach((c) => jitConfig(c.preset));
    const results = await measurePerBackend({
      workload: 'transformer',
      name: 'train-step',
      jobs: caseJobs(backendTargets(values.backend, values.threads), cases, (target, c): Settings => ({
        ...c,
        ...caseRuns(target, values.runs),
        targetWidth: values.target_width ?? defaultTargetWidth(c.preset),
        remat: values.remat === 'auto' ? 'auto' : values.remat === 'on',
      })),
      measure,
      stderr,
      timeoutSeconds: values.timeout,
    });
    return {
      flops: formula,
      timing: 'median step time after one warm-up step (cpu: one step); includes reading the losses back; one child process per backend and case',
      results,
    };
  },
});

/** A training setup for the step benchmarks: the modules in training mode and one step on fixed inputs with fresh draws. */
export function trainingCase(preset: string, batch: number, targetWidth: number, remat: boolean | 'auto' = 'auto') {
  const model = jitConfig(preset);
  const rng = createRng(0);
  const N = (model.inputSize / model.patchSize) ** 2;
  const modules = buildTrainingModules(resolveTrainConfig({ model: preset, steps: 1, batchSize: batch, objective: 'pixelrepa' }), {
    targetWidth,
    random: rng,
    remat,
  });
  modules.jit.train();
  modules.objective?.train();
  const images = rng.uniform([batch, model.inputSize, model.inputSize, model.inChannels], { low: -1, high: 1 });
  const labels = rng.randint([batch], { high: model.numClasses });
  const target = rng.normal([batch, N, targetWidth]);
  return {
    modules,
    /** One step; resolves to its seconds (the draws are made before the clock starts). */
    async step(phaseDone?: (phase: StepPhase) => void): Promise<number> {
      const draws = { ...drawFlow(rng, images.shape), maskNoise: rng.uniform([batch, N]) };
      const start = performance.now();
      try {
        await trainStep(modules, { images, labels, target }, draws, 1e-4, phaseDone);
      } finally {
        tf.dispose([draws.dropU, draws.tNormal, draws.e, draws.maskNoise]);
      }
      return (performance.now() - start) / 1000;
    },
    dispose(): void {
      tf.dispose([images, labels, target]);
      modules.dispose();
    },
  };
}

/** The stand-in target's width: SmallViT's for JiT-Tiny/4, DINOv2 ViT-B's otherwise. */
export function defaultTargetWidth(preset: string): number {
  return preset === 'JiT-Tiny/4' ? smallViTProcedural.embedDim : 768;
}

async function measure({ preset, batch, runs, warmUp, targetWidth, remat }: Settings): Promise<object> {
  const model = jitConfig(preset);
  benchNote(`${preset} ×${batch}: building, then ${warmUp ? '1 + ' : ''}${runs} steps`);
  const buildStart = performance.now();
  const training = trainingCase(preset, batch, targetWidth, remat);
  const { modules } = training;
  benchNote(
    `${preset} ×${batch}: AdamW moments and EMAs on the ${modules.optimizer.placement}${modules.remat ? '; blocks recompute their activations (remat)' : ''}`,
  );
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const once = async () => {
    const seconds = await training.step();
    benchNote(`${preset} ×${batch}: a step took ${seconds.toFixed(2)} s`);
    return seconds;
  };
  try {
    const seconds = await medianSeconds(once, { warmUp, runs });
    return {
      objective: 'pixelrepa',
      targetWidth,
      runs,
      statePlacement: modules.optimizer.placement,
      remat: modules.remat,
      imagesPerSecond: round(batch / seconds, 3),
      medianMsPerStep: round(seconds * 1000, 1),
      approxGflopsPerSecond: round((3 * 2 * jitForwardMacs(model) * batch) / seconds / 1e9, 2),
      trainableParametersM: round(modules.parameters.reduce((n, p) => n + p.parameter.value.size, 0) / 1e6, 2),
      buildSeconds: round(buildSeconds, 2),
    };
  } finally {
    training.dispose();
  }
}
