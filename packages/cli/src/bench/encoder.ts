import { createDinoV2, dinov2Config, dinov2ForwardMacs } from '@pixelrepa/encoders';
import { tf } from '@pixelrepa/tensor';
import { defineFlags } from '../flags.js';
import { defineBenchmark, median, round } from './benchmark.js';
import { backendListFlags, backendTargets, jobsPerTarget, measurePerBackend } from './per-backend.js';

interface Settings {
  model: string;
  imgSize: number;
  patchSize: number;
  batch: number;
  runs: number;
  warmUp: boolean;
}

/** Frozen-encoder throughput: `encoder.encode(images)` (preprocess + forward, read back), random weights. */
export const encoderBenchmark = defineBenchmark({
  name: 'encoder',
  about: 'images/s of the DINOv2 ViT-B/16 encoder at 256 px per backend (random weights)',
  description: 'On cpu (about 0.5 GFLOP/s, ~47 GFLOP per image) one image is timed once, without a warm-up.',
  flags: defineFlags({
    ...backendListFlags({ backends: ['cpu', 'wasm'], threads: [1, 2] }),
    batch: { type: 'integer', value: 'n', default: 2, description: 'images per forward' },
    runs: { type: 'integer', value: 'n', default: 3, description: 'timed runs (the median is reported)' },
    model: { type: 'string', value: 'name', default: 'dinov2-vitb14', description: 'DINOv2 preset' },
    img_size: { type: 'integer', value: 'px', default: 256, description: 'input side' },
    patch_size: { type: 'integer', value: 'px', default: 16, description: 'patch side' },
  }),
  async run(values, { stderr }) {
    const base = { model: values.model, imgSize: values.img_size, patchSize: values.patch_size };
    const config = dinov2Config(base.model, base);
    const results = await measurePerBackend<Settings, object>({
      workload: 'transformer',
      name: 'encoder',
      jobs: jobsPerTarget(backendTargets(values.backend, values.threads), (target) =>
        target.backend === 'cpu' ? { ...base, batch: 1, runs: 1, warmUp: false } : { ...base, batch: values.batch, runs: values.runs, warmUp: true },
      ),
      measure,
      stderr,
    });
    return {
      model: `${config.label} at ${config.imgSize} px, patch ${config.patchSize} (${(config.imgSize / config.patchSize) ** 2} tokens), random weights`,
      gflopPerImage: round((2 * dinov2ForwardMacs(config)) / 1e9, 2),
      timing: 'encode(images in [−1, 1]) incl. preprocessing, result read back with await data(); median of runs after a warm-up (cpu: one run, no warm-up)',
      results,
    };
  },
});

async function measure(settings: Settings): Promise<object> {
  const buildStart = performance.now();
  const encoder = createDinoV2(settings.model, { imgSize: settings.imgSize, patchSize: settings.patchSize });
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const images = tf.randomUniform([settings.batch, settings.imgSize, settings.imgSize, 3], -1, 1, 'float32', 1);
  const once = async () => {
    const start = performance.now();
    const tokens = encoder.encode(images);
    await tokens.data();
    tokens.dispose();
    return performance.now() - start;
  };
  if (settings.warmUp) await once();
  const times: number[] = [];
  for (let i = 0; i < settings.runs; i++) times.push(await once());
  const ms = median(times);
  const imagesPerSecond = settings.batch / (ms / 1000);
  images.dispose();
  encoder.dispose();
  return {
    batch: settings.batch,
    runs: settings.runs,
    imagesPerSecond: round(imagesPerSecond, 3),
    medianMsPerBatch: round(ms, 1),
    gflopsPerSecond: round((2 * dinov2ForwardMacs(encoder.config) * imagesPerSecond) / 1e9, 2),
    buildSeconds: round(buildSeconds, 2),
  };
}
