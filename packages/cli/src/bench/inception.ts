import { FidInceptionV3, StatisticsAccumulator, frechetDistance, type FeatureStatistics } from '@pixelrepa/metrics';
import { tf } from '@pixelrepa/tensor';
import { defineFlags } from '../flags.js';
import { defineBenchmark, median, round } from './benchmark.js';
import { backendListFlags, backendTargets, jobsPerTarget, measurePerBackend } from './per-backend.js';
import type { OutputStream } from '../context.js';

interface Settings {
  batch: number;
  runs: number;
  size: number;
  warmUp: boolean;
}

/**
 * FID network and FID arithmetic: images/s of the FID Inception network per backend (uint8 →
 * TF1 resize to 299 → '2048' and 'logits_unbiased', read back), then the seconds of one 2048-d
 * Fréchet distance and of streaming statistics.
 */
export const inceptionBenchmark = defineBenchmark({
  name: 'inception',
  about: 'images/s of the FID Inception network per backend (random weights) and the time of one 2048-d FID',
  description:
    "On cpu (~0.5 GFLOP/s, ~11.5 GFLOP per image) one image is timed once, without a warm-up.\n--eigvals adds torch-fidelity's general eigen-solver route to the FID timing (minutes).",
  flags: defineFlags({
    ...backendListFlags({ backends: ['cpu', 'wasm'], threads: [1, 2] }),
    batch: { type: 'integer', value: 'n', default: 4, description: 'images per forward' },
    runs: { type: 'integer', value: 'n', default: 3, description: 'timed runs (the median is reported)' },
    size: { type: 'integer', value: 'px', default: 256, description: 'input image side (resized to 299 inside)' },
    skip_fid: { type: 'boolean', description: 'leave out the FID arithmetic' },
    eigvals: { type: 'boolean', description: 'also time FID by general eigenvalues' },
  }),
  async run(values, { stderr }) {
    const results = await measurePerBackend<Settings, object>({
      name: 'inception',
      jobs: jobsPerTarget(backendTargets(values.backend, values.threads), (target) =>
        target.backend === 'cpu'
          ? { batch: 1, runs: 1, size: values.size, warmUp: false }
          : { batch: values.batch, runs: values.runs, size: values.size, warmUp: true },
      ),
      measure,
      stderr,
    });
    return {
      network: `FID Inception (inception-v3-compat), random weights, ${values.size}×${values.size} uint8 input resized to 299`,
      timing: "forward to '2048' + 'logits_unbiased', read back with await data(); median of runs after a warm-up (cpu: one run, no warm-up)",
      results,
      ...(values.skip_fid ? {} : { statistics: fidArithmetic(values.eigvals, stderr) }),
    };
  },
});

async function measure(settings: Settings): Promise<object> {
  const buildStart = performance.now();
  const net = new FidInceptionV3();
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const images = tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([settings.batch, settings.size, settings.size, 3], 0, 256, 'float32', 1)), 'int32'));
  const once = async () => {
    const start = performance.now();
    const out = net.forward(images, { features: ['2048', 'logits_unbiased'] });
    for (const tensor of Object.values(out)) await tensor!.data();
    tf.dispose(Object.values(out));
    return performance.now() - start;
  };
  if (settings.warmUp) await once();
  const times: number[] = [];
  for (let i = 0; i < settings.runs; i++) times.push(await once());
  const ms = median(times);
  images.dispose();
  net.dispose();
  return {
    batch: settings.batch,
    runs: settings.runs,
    imagesPerSecond: round(settings.batch / (ms / 1000), 3),
    medianMsPerBatch: round(ms, 1),
    buildSeconds: round(buildSeconds, 2),
  };
}

/** Times streaming statistics and one Fréchet distance on 2048-d random features (plain JS, float64). */
function fidArithmetic(withEigvals: boolean, stderr: OutputStream): object {
  const dim = 2048;
  const rows = 2500;
  const batch = 16;
  const make = (seed: number): { stats: FeatureStatistics; msPerRow: number } => {
    let state = seed;
    const features = Float32Array.from({ length: rows * dim }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state / 2 ** 32) ** 2;
    });
    const accumulator = new StatisticsAccumulator(dim);
    const start = performance.now();
    for (let r = 0; r < rows; r += batch) accumulator.add(features.subarray(r * dim, Math.min(rows, r + batch) * dim));
    return { stats: accumulator.statistics(), msPerRow: (performance.now() - start) / rows };
  };
  stderr.write('inception: statistics and FID (float64) …\n');
  const a = make(1);
  const b = make(2);
  let start = performance.now();
  const fid = frechetDistance(a.stats, b.stats);
  const fidSeconds = (performance.now() - start) / 1000;
  const out: Record<string, unknown> = {
    features: `${rows} random ${dim}-d rows per set, batches of ${batch}`,
    accumulateMsPerImage: round(a.msPerRow, 3),
    fid2048Seconds: round(fidSeconds, 2),
    fid: round(fid, 6),
  };
  if (withEigvals) {
    stderr.write('inception: FID by general eigenvalues (minutes) …\n');
    start = performance.now();
    const general = frechetDistance(a.stats, b.stats, { method: 'eigvals' });
    out.fid2048EigvalsSeconds = round((performance.now() - start) / 1000, 1);
    out.eigvalsMinusSymmetric = general - fid;
  }
  return out;
}
