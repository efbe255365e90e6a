// The quickstart — the README's main job: train a small JiT with PixelREPA on Fashion-MNIST (the
// official test split, committed in assets/), aligned to a small encoder trained on the official
// train split (committed weights), then sample a class-conditional grid beside real images.
// Writes out/quickstart/: samples.png, loss.png, metrics.json, checkpoint.safetensors.
//
//   npm start                                             (from the repository root)
//   npm start -- --steps 100 --backend cpu
//   npm start -- --data_path /usr/share/datasets/fashion-mnist --split train
//   npm start -- --data procedural
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { tf, initBackend, createRng, type BackendName } from '@pixelrepa/tensor';
import { JiT } from '@pixelrepa/jit';
import { DataLoader, batchToFloatTensor, type SampleSource } from '@pixelrepa/data';
import { Trainer } from '@pixelrepa/train/node';
import { openQuickstartData, quickstartDataNames, type QuickstartData } from './datasets.js';
import { loadQuickstartEncoder } from './encoder.js';
import { quickstartRecipes, quickstartTrainConfig } from './recipe.js';
import { EncoderFid } from './features.js';
import { realImageSets, subsetOf, type LabelledSource } from './real-images.js';
import { sampleInBatches, toPixels, type SampleSettings } from './sampling.js';
import { writeLabelledGrid } from './labelled-grid.js';
import { lineChartPng, smooth } from './plot.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: process.env.PIXELREPA_BACKEND ?? 'auto' },
    data: { type: 'string', default: 'fashion-mnist' },
    data_path: { type: 'string' },
    split: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    out: { type: 'string', default: 'out/quickstart' },
    seed: { type: 'string' },
    'fid-images': { type: 'string', default: '100' },
    'sampling-steps': { type: 'string', default: '10' },
    cfg: { type: 'string', default: '2.5' },
  },
});
const data = values.data as QuickstartData;
if (!quickstartDataNames.includes(data)) throw new Error(`--data ${values.data}: expected one of ${quickstartDataNames.join(', ')}`);
if (values.split !== undefined && values.split !== 'test' && values.split !== 'train')
  throw new Error(`--split ${values.split}: expected test or train (Fashion-MNIST's official splits)`);
if (values.data_path !== undefined && data !== 'fashion-mnist')
  throw new Error('--data_path names a Fashion-MNIST folder; it does not apply to --data procedural');
// Relative to where `npm start` was typed (npm runs the script inside the workspace folder).
const userPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
const outDir = userPath(values.out!);
// The run itself is the recipe's (`pixelrepa train --recipe quickstart` trains the same); only steps, batch and seed change.
const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
const trainConfig = quickstartTrainConfig({ data, steps: number(values.steps), batchSize: number(values.batch), seed: number(values.seed) });
const { steps, batchSize, seed } = trainConfig;
const fidImages = Number(values['fid-images']);
const { numClasses, inputSize: imageSize } = quickstartRecipes[data].config.modelOverrides;
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
const newBar = (label: string) =>
  new SingleBar({
    format: `${label.padEnd(22)} [{bar}] {value}/{total} | {status} | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
const bar = (label: string, total: number) => {
  const progress = newBar(label);
  progress.start(total, 0, { status: '' });
  return progress;
};

// XNNPACK (tfjs's elementwise kernels) on one thread: our GEMM takes every thread (docs/backends.md#wasm).
const backend = await initBackend(values.backend as BackendName | 'auto', { xnnpackThreads: 1 });
console.log(`PixelREPA.ts quickstart — backend ${backend.name}${backend.threads ? ` (${backend.threads} threads)` : ''}: ${backend.reason}`);
const opened = openQuickstartData(data, { split: values.split as 'train' | 'test' | undefined, root: values.data_path && userPath(values.data_path) });
const dataset = opened.source as LabelledSource;
console.log(`data: ${opened.description}`);
rmSync(join(outDir, 'run'), { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// The alignment target: a SmallViT classifier trained on this dataset (assets/, reproducible).
const encoder = loadQuickstartEncoder(data);
console.log(`alignment target: ${encoder.label}, frozen (assets/${data}-encoder.safetensors)`);
const fid = new EncoderFid(encoder);

// Real images: 1000 for the reference statistics, and fidImages others (balanced over classes)
// whose distance to the reference is the floor any sampler's figure can reach.
const perClassFloor = Math.ceil(fidImages / numClasses);
const perClass = 8; // columns of the grid
const perClassReal = Math.max(perClassFloor, perClass);
const real = realImageSets(dataset, { referenceSize: 1000, perClass: perClassReal, seed: seed + 7 });
const ofEachClass = (count: number) => real.balanced.filter((_, i) => i % perClassReal < count);
async function realStatistics(source: SampleSource, label: string) {
  const stats = fid.accumulator();
  const progress = bar(label, source.length);
  for await (const batch of new DataLoader(source, { batchSize: 100 }).epoch(0)) {
    const images = batchToFloatTensor(batch);
    await fid.add(stats, images);
    images.dispose();
    progress.increment(batch.labels.length);
  }
  progress.stop();
  return stats.statistics();
}
const referenceStats = await realStatistics(subsetOf(dataset, real.reference), 'reference features');
const fidFloor = fid.distance(await realStatistics(subsetOf(dataset, ofEachClass(perClassFloor)), 'real-vs-real floor'), referenceStats);

const sampling: SampleSettings = { steps: Number(values['sampling-steps']), cfg: Number(values.cfg), interval: [0.1, 1], method: 'euler', noiseScale: 1 };

/** FID (encoder features) of `perClassFloor` samples per class of `model`. */
async function sampleFid(model: JiT, label: string): Promise<number> {
  const stats = fid.accumulator();
  const labels = Array.from({ length: perClassFloor * numClasses }, (_, i) => Math.floor(i / perClassFloor));
  const progress = bar(label, labels.length);
  await sampleInBatches(model, labels, sampling, createRng(seed + 100), (images) => fid.add(stats, images), { onImages: (done) => progress.update(done) });
  progress.stop();
  return fid.distance(stats.statistics(), referenceStats);
}

const losses: Array<{ step: number; jit: number; align: number }> = [];
const trainBar = newBar('training');
const trainer = await Trainer.create({
  config: trainConfig,
  data: new DataLoader(dataset, { batchSize, seed, shuffle: true, flip: true, dropLast: true }),
  encoder,
  outDir: join(outDir, 'run'),
  onEvent: (event) => {
    if (event.type === 'step') {
      losses.push({ step: event.step, jit: event.lossJit, align: event.lossAlign ?? NaN });
      trainBar.update(event.step, {
        status: `loss ${event.lossJit.toFixed(3)} + 0.1·${(event.lossAlign ?? 0).toFixed(3)} | ${event.imagesPerSecond.toFixed(0)} img/s`,
      });
    }
  },
});

// "Before": the freshly initialised model (its EMA equals the initial weights).
const sampler = new JiT(trainer.modules.jit.config);
const loadEma = () => {
  const state = trainer.modules.emas[0].stateDict();
  sampler.loadStateDict(state);
  tf.dispose([...state.values()]);
};
loadEma();
const fidBefore = await sampleFid(sampler, 'FID before training');

// Train (the bar starts here, so its ETA counts training steps only).
const trainStarted = performance.now();
trainBar.start(steps, 0, { status: '' });
await trainer.run();
trainBar.stop();
const trainSeconds = (performance.now() - trainStarted) / 1000;

// "After": the EMA weights, as the paper samples.
loadEma();
const fidAfter = await sampleFid(sampler, 'FID after training');

// The class-conditional grid, one row per class, beside real training images of the same classes.
const gridLabels = Array.from({ length: numClasses * perClass }, (_, i) => Math.floor(i / perClass));
const pixels: number[] = [];
{
  const progress = bar('sampling the grid', gridLabels.length);
  await sampleInBatches(
    sampler,
    gridLabels,
    { ...sampling, steps: 20, method: 'heun' },
    createRng(seed + 200),
    async (images) => {
      pixels.push(...(await toPixels(images)));
    },
    { batch: 40, onImages: (done) => progress.update(done) },
  );
  progress.stop();
}
const realPixels = new Uint8Array(gridLabels.length * imageSize * imageSize * 3);
for (const [n, index] of ofEachClass(perClass).entries()) realPixels.set((await dataset.load(index)).image.data, n * imageSize * imageSize * 3);
const fidText = `FID in the encoder's token space ${fidBefore.toFixed(1)} → ${fidAfter.toFixed(1)} (real vs real: ${fidFloor.toFixed(1)})`;
await writeLabelledGrid(
  join(outDir, 'samples.png'),
  [
    { title: `samples after ${steps} steps (Heun, 20 steps, cfg ${sampling.cfg})`, pixels: Uint8Array.from(pixels) },
    { title: 'real training images', pixels: realPixels },
  ],
  {
    rowLabels: dataset.classes,
    columns: perClass,
    imageSize,
    footer: `${opened.split ? `Fashion-MNIST ${opened.split} split` : 'procedural data'}; ${fidText}; ${backend.name}, ${trainSeconds.toFixed(0)} s of training`,
  },
);

await lineChartPng(join(outDir, 'loss.png'), `PixelREPA quickstart: ${steps} steps, batch ${batchSize}`, [
  [{ name: 'JiT v-loss (smoothed)', colour: '#1f77b4', points: smooth(losses.map((l) => [l.step, l.jit])) }],
  [{ name: 'MTA alignment loss, mean(1 − cos) (smoothed)', colour: '#d62728', points: smooth(losses.map((l) => [l.step, l.align])) }],
]);

const checkpoint = await trainer.checkpoint();
copyFileSync(checkpoint, join(outDir, 'checkpoint.safetensors'));
const first = losses.slice(0, 20);
const last = losses.slice(-20);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const metrics = {
  backend: backend.name,
  threads: backend.threads,
  data: opened.description,
  steps,
  batchSize,
  model: { ...trainer.modules.jit.config, parameters: trainer.modules.jit.parameterCount({ trainableOnly: true }) },
  encoder: encoder.label,
  fid_encoder_space: {
    measures:
      `Fréchet distance between Gaussian fits of the mean-pooled ${encoder.embedDim}-d tokens of the frozen encoder (the alignment target itself, not Inception: not comparable with published FIDs) ` +
      `of ${perClassFloor * numClasses} images (class-balanced) against ${real.reference.length} real training images`,
    before: fidBefore,
    after: fidAfter,
    real_vs_real: fidFloor,
    samples: perClassFloor * numClasses,
    reference_images: real.reference.length,
    sampling,
  },
  loss: {
    jit: { first20: mean(first.map((l) => l.jit)), last20: mean(last.map((l) => l.jit)) },
    align: { first20: mean(first.map((l) => l.align)), last20: mean(last.map((l) => l.align)) },
  },
  training_seconds: trainSeconds,
  seconds: seconds(),
};
writeFileSync(join(outDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
trainer.dispose();
sampler.dispose();
encoder.dispose();
console.log(`\n${fidText}`);
console.log(
  `  (a Fréchet distance of the small encoder's pooled tokens of ${perClassFloor * numClasses} images: lower is closer to the real images; the real-vs-real figure is the floor at this sample size)`,
);
console.log(`wrote ${join(outDir, 'samples.png')} (samples beside real images), loss.png, metrics.json, checkpoint.safetensors in ${seconds().toFixed(0)} s`);
