// The quickstart — the README's main job: train a small JiT with PixelREPA on the procedural
// dataset, aligned to a small encoder trained on that dataset (committed weights), then sample a
// class-conditional grid. Writes out/quickstart/: samples.png, loss.png, metrics.json, checkpoint.
//
//   npm start                         (from the repository root)
//   npm start -- --steps 100 --backend cpu
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { tf, initBackend, createRng, type BackendName } from '@pixelrepa/tensor';
import { JiT } from '@pixelrepa/jit';
import { DataLoader, batchToFloatTensor, proceduralDataset } from '@pixelrepa/data';
import { Trainer } from '@pixelrepa/train/node';
import { loadProceduralEncoder } from './encoder.js';
import { EncoderFid } from './features.js';
import { sampleInBatches, toPixels, type SampleSettings } from './sampling.js';
import { writeGrid } from '@pixelrepa/cli';
import { lineChartPng, smooth } from './plot.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: process.env.PIXELREPA_BACKEND ?? 'auto' },
    steps: { type: 'string', default: '600' },
    batch: { type: 'string', default: '32' },
    out: { type: 'string', default: 'out/quickstart' },
    seed: { type: 'string', default: '0' },
    'fid-images': { type: 'string', default: '100' },
    'sampling-steps': { type: 'string', default: '10' },
    cfg: { type: 'string', default: '2.5' },
  },
});
// Relative to where `npm start` was typed (npm runs the script inside the workspace folder).
const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out!);
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const seed = Number(values.seed);
const fidImages = Number(values['fid-images']);
const numClasses = 10;
const imageSize = 32;
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const bar = (label: string, total: number) => {
  const progress = new SingleBar({ format: `${label.padEnd(22)} [{bar}] {value}/{total} | {status} | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 10_000 });
  progress.start(total, 0, { status: '' });
  return progress;
};

const backend = await initBackend(values.backend as BackendName | 'auto');
console.log(`PixelREPA.ts quickstart — backend ${backend.name}${backend.threads ? ` (${backend.threads} threads)` : ''}: ${backend.reason}`);
rmSync(join(outDir, 'run'), { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// The alignment target: a SmallViT trained on this dataset (assets/, reproducible).
const encoder = loadProceduralEncoder();
const fid = new EncoderFid(encoder);
const dataset = proceduralDataset({ imageSize, numClasses, seed, length: 20_000 });

// Reference statistics of real images in the encoder's feature space.
const reference = fid.accumulator();
{
  const progress = bar('reference features', 1000);
  const loader = new DataLoader(proceduralDataset({ imageSize, numClasses, seed: seed + 7, length: 1000 }), { batchSize: 100 });
  for await (const batch of loader.epoch(0)) {
    const images = batchToFloatTensor(batch);
    await fid.add(reference, images);
    images.dispose();
    progress.increment(batch.labels.length);
  }
  progress.stop();
}
const referenceStats = reference.statistics();

// 32 px images in 8×8 patches (a 4×4 token grid, as the encoder's), width 128, 6 blocks.
const modelOverrides = { inputSize: imageSize, patchSize: 8, numClasses, hiddenSize: 128, numHeads: 4, depth: 6, bottleneckDim: 32, inContextLen: 4, inContextStart: 2 };
const sampling: SampleSettings = { steps: Number(values['sampling-steps']), cfg: Number(values.cfg), interval: [0.1, 1], method: 'euler', noiseScale: 1 };

/** FID (encoder features) of `fidImages` samples of `model`, balanced over the classes. */
async function sampleFid(model: JiT, label: string): Promise<number> {
  const stats = fid.accumulator();
  const labels = Array.from({ length: fidImages }, (_, i) => i % numClasses);
  const progress = bar(label, fidImages);
  await sampleInBatches(model, labels, sampling, createRng(seed + 100), (images) => fid.add(stats, images), { onImages: (done) => progress.update(done) });
  progress.stop();
  return fid.distance(stats.statistics(), referenceStats);
}

// Train.
const losses: Array<{ step: number; jit: number; align: number }> = [];
const trainBar = bar('training', steps);
const trainer = await Trainer.create({
  config: {
    model: 'JiT-Tiny/4', modelOverrides, objective: 'pixelrepa', adapter: 'MTA-B/16',
    steps, batchSize, blr: 8e-3, warmup_epochs: 0.05, ema_decay1: 0.99, ema_decay2: 0.999, seed,
    checkpointEvery: Math.max(100, Math.ceil(steps / 4)), keepLast: 1,
  },
  data: new DataLoader(dataset, { batchSize, seed, shuffle: true, flip: true, dropLast: true }),
  encoder,
  outDir: join(outDir, 'run'),
  onEvent: (event) => {
    if (event.type === 'step') {
      losses.push({ step: event.step, jit: event.lossJit, align: event.lossAlign ?? NaN });
      trainBar.update(event.step, { status: `loss ${event.lossJit.toFixed(3)} + 0.1·${(event.lossAlign ?? 0).toFixed(3)} | ${event.imagesPerSecond.toFixed(0)} img/s` });
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

await trainer.run();
trainBar.stop();

// "After": the EMA weights, as the paper samples.
loadEma();
const fidAfter = await sampleFid(sampler, 'FID after training');

// The class-conditional grid: one row per class.
const perClass = 8;
const gridLabels = Array.from({ length: numClasses * perClass }, (_, i) => Math.floor(i / perClass));
const pixels: number[] = [];
{
  const progress = bar('sampling the grid', gridLabels.length);
  await sampleInBatches(sampler, gridLabels, { ...sampling, steps: 20, method: 'heun' }, createRng(seed + 200), async (images) => { pixels.push(...(await toPixels(images))); }, { batch: 40, onImages: (done) => progress.update(done) });
  progress.stop();
}
await writeGrid(join(outDir, 'samples.png'), Uint8Array.from(pixels), [gridLabels.length, imageSize, imageSize, 3], { rows: numClasses, columns: perClass, scale: 3 });

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
  steps,
  batchSize,
  model: { ...trainer.modules.jit.config, parameters: trainer.modules.jit.parameterCount({ trainableOnly: true }) },
  encoder: encoder.label,
  fid_encoder_space: { before: fidBefore, after: fidAfter, samples: fidImages, sampling },
  loss: {
    jit: { first20: mean(first.map((l) => l.jit)), last20: mean(last.map((l) => l.jit)) },
    align: { first20: mean(first.map((l) => l.align)), last20: mean(last.map((l) => l.align)) },
  },
  seconds: (performance.now() - started) / 1000,
};
writeFileSync(join(outDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
trainer.dispose();
sampler.dispose();
encoder.dispose();
console.log(`\nFID in the encoder's feature space: ${fidBefore.toFixed(1)} before → ${fidAfter.toFixed(1)} after training`);
console.log(`wrote ${join(outDir, 'samples.png')}, loss.png, metrics.json, checkpoint.safetensors in ${elapsed()}`);
