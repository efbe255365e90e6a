// The small-scale reproduction's sweep: vanilla JiT, REPA and PixelREPA on Fashion-MNIST's train
// split, several seeds each, every run judged at equally spaced steps by a classifier that is
// independent of the alignment target. Resumable after any stop: runs checkpoint every
// `checkpointEvery` steps and continue from their last checkpoint; evaluations already in the
// results file are not redone; results are appended one JSON line per (variant, seed, step).
//
//   npm run reproduce                         (the whole protocol; hours of CPU; stop and rerun at will)
//   npm run reproduce -- --seeds 0 --variants none,pixelrepa
//   npm run reproduce -- --steps 40 --eval-every 20 --samples-per-class 2 --results /tmp/r.jsonl   (a changed protocol needs its own --results)
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tf, initBackend, createRng, type BackendName, type Tensor } from '@pixelrepa/tensor';
import { JiT } from '@pixelrepa/jit';
import { DataLoader, batchToFloatTensor, createRandom, permutation, type SampleSource } from '@pixelrepa/data';
import { debianFashionMnistRoot, openFashionMnist } from '@pixelrepa/data/node';
import { loadSmallViTFile } from '@pixelrepa/encoders/node';
import type { SmallViT } from '@pixelrepa/encoders';
import { StatisticsAccumulator, frechetDistance, type FeatureStatistics } from '@pixelrepa/metrics';
import { Trainer, listCheckpoints } from '@pixelrepa/train/node';
import { trainRecipes } from '@pixelrepa/train';
import { sampleInBatches, toPixels } from '../../quickstart/src/sampling.js';
import { subsetOf } from '../../quickstart/src/real-images.js';
import { writeLabelledGrid } from '../../quickstart/src/labelled-grid.js';
import {
  judgeFile,
  protocol as defaultProtocol,
  repositoryPath,
  resultsFile,
  runConfig,
  variants as allVariants,
  type Protocol,
  type Variant,
} from './protocol.js';
import { readResults, repairResults, resultKey, type ResultLine } from './results.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: process.env.PIXELREPA_BACKEND ?? 'wasm' },
    threads: { type: 'string' },
    data_path: { type: 'string', default: debianFashionMnistRoot },
    out: { type: 'string', default: 'out/reproduction' },
    results: { type: 'string' },
    variants: { type: 'string' },
    seeds: { type: 'string' },
    steps: { type: 'string' },
    'eval-every': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'samples-per-class': { type: 'string' },
    'sampler-steps': { type: 'string' },
    'floor-images': { type: 'string' },
    'reference-images': { type: 'string' },
    judge: { type: 'string' },
  },
});

const userPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
const fail = (message: string): never => {
  console.error(`reproduce: ${message}`);
  process.exit(2);
};
const positiveInt = (flag: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) fail(`--${flag} ${text}: expected a positive integer`);
  return value;
};

// The protocol, with the command line's changes. Changing what a run trains or how it is judged
// makes another protocol: its results go to their own file, never into the committed one.
const p: Protocol = { ...defaultProtocol, sampler: { ...defaultProtocol.sampler } };
let changed = false;
const change = <K extends keyof Protocol>(key: K, value: Protocol[K]) => {
  p[key] = value;
  changed = true;
};
if (values.steps !== undefined) change('steps', positiveInt('steps', values.steps));
if (values['eval-every'] !== undefined) change('evalEvery', positiveInt('eval-every', values['eval-every']));
if (values['checkpoint-every'] !== undefined) change('checkpointEvery', positiveInt('checkpoint-every', values['checkpoint-every']));
if (values['samples-per-class'] !== undefined) change('samplesPerClass', positiveInt('samples-per-class', values['samples-per-class']));
if (values['floor-images'] !== undefined) change('floorImages', positiveInt('floor-images', values['floor-images']));
if (values['reference-images'] !== undefined) change('referenceImages', positiveInt('reference-images', values['reference-images']));
if (values['sampler-steps'] !== undefined) change('sampler', { ...p.sampler, steps: positiveInt('sampler-steps', values['sampler-steps']) });
if (p.steps % p.evalEvery !== 0) fail(`--steps ${p.steps} is not a multiple of --eval-every ${p.evalEvery} (the last evaluation is at the last step)`);
if (values.judge !== undefined) changed = true;
if (changed) p.id = `${defaultProtocol.id}+custom`;
const variants = (values.variants?.split(',') ?? [...p.variants]) as Variant[];
for (const variant of variants) if (!allVariants.includes(variant)) fail(`--variants: "${variant}" is not one of ${allVariants.join(', ')}`);
const seeds = values.seeds?.split(',').map((text) => {
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) fail(`--seeds: "${text}" is not a seed`);
  return seed;
}) ?? [...p.seeds];
if (changed && values.results === undefined)
  fail(
    `a changed protocol (--steps, --eval-every, --checkpoint-every, --samples-per-class, --sampler-steps, --floor-images, --reference-images, --judge) writes its results to a file you name with --results, not to ${resultsFile}`,
  );
const resultsPath = values.results ? userPath(values.results) : repositoryPath(resultsFile);
const resultsDir = dirname(resultsPath);
const outDir = userPath(values.out!);
mkdirSync(outDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });

// XNNPACK (tfjs's elementwise kernels) on one thread: our GEMM takes every thread (docs/backends.md#wasm).
const backend = await initBackend(values.backend as BackendName, {
  ...(values.threads ? { threads: positiveInt('threads', values.threads) } : {}),
  xnnpackThreads: 1,
});
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, backend: backend.name, threads: backend.threads ?? 1 };
console.log(`reproduce ${p.id}: backend ${backend.name}${backend.threads ? ` (${backend.threads} threads)` : ''}, results → ${resultsPath}`);

// Data: the official train split trains every run; the official test split is the reference set.
const hint = `or pass --data_path <folder with the official files>`;
const train = openFashionMnist({ root: userPath(values.data_path!), split: 'train', hint });
const test = openFashionMnist({ root: userPath(values.data_path!), split: 'test', hint });
const classes = train.classes.length;

// The alignment target (the quickstart's, trained on the train split) and the independent judge.
const encoderPath = repositoryPath(trainRecipes.quickstart.encoder);
const target = loadSmallViTFile(encoderPath);
const judgePath = values.judge ? userPath(values.judge) : repositoryPath(judgeFile);
if (!existsSync(judgePath)) fail(`no judge at ${judgePath}: train it with \`npm run -w @pixelrepa/example-reproduction train-judge\``);
const judge = loadSmallViTFile(judgePath);
target.eval();
judge.eval();

/** Mean-pooled tokens of `encoder` for float images [B, H, W, 3] → rows of `stats`. */
async function addFeatures(encoder: SmallViT, stats: StatisticsAccumulator, images: Tensor): Promise<void> {
  const pooled = tf.tidy(() => tf.mean(encoder.encode(images), 1));
  stats.add((await pooled.data()) as Float32Array);
  pooled.dispose();
}

async function realStatistics(source: SampleSource, label: string): Promise<{ judge: FeatureStatistics; target: FeatureStatistics; accuracy: number }> {
  const judgeStats = new StatisticsAccumulator(judge.embedDim);
  const targetStats = new StatisticsAccumulator(target.embedDim);
  let right = 0;
  const started = performance.now();
  for await (const batch of new DataLoader(source, { batchSize: 250 }).epoch(0)) {
    const images = batchToFloatTensor(batch);
    await addFeatures(judge, judgeStats, images);
    await addFeatures(target, targetStats, images);
    const predicted = tf.tidy(() => tf.argMax(judge.classify(images), -1));
    const labels = await predicted.data();
    batch.labels.forEach((label, i) => {
      right += labels[i] === label ? 1 : 0;
    });
    tf.dispose([images, predicted]);
  }
  console.log(`${label}: ${source.length} images, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { judge: judgeStats.statistics(), target: targetStats.statistics(), accuracy: right / source.length };
}

if (p.referenceImages > test.length) fail(`--reference-images ${p.referenceImages}: the test split has ${test.length}`);
const reference = await realStatistics(
  p.referenceImages === test.length
    ? test
    : subsetOf(
        test,
        Array.from({ length: p.referenceImages }, (_, i) => i),
      ),
  `reference (${p.referenceImages} test images)`,
);
const floorSet = subsetOf(train, Array.from(permutation(train.length, createRandom(p.sampleSeed)).subarray(0, p.floorImages)));
const floor = await realStatistics(floorSet, `floor (${p.floorImages} train images)`);
const floors = {
  fd: frechetDistance(floor.judge, reference.judge),
  fd_target: frechetDistance(floor.target, reference.target),
  accuracy: floor.accuracy,
  judge_test_accuracy: reference.accuracy,
};
console.log(
  `real train images vs the test split: judge FD ${floors.fd.toFixed(2)}, accuracy ${(100 * floors.accuracy).toFixed(1)} % (judge on the test split: ${(100 * floors.judge_test_accuracy).toFixed(1)} %)`,
);
writeFileSync(
  join(resultsDir, changed ? `${p.id}.protocol.json` : 'protocol.json'),
  `${JSON.stringify({ protocol: p, judge: judgePath.endsWith(judgeFile) ? judgeFile : judgePath, alignment_target: trainRecipes.quickstart.encoder, real: floors, runConfig: Object.fromEntries(p.variants.map((v) => [v, runConfig(p, v, 0)])) }, null, 2)}\n`,
);

repairResults(resultsPath);
const done = new Set(
  readResults(resultsPath)
    .filter((line) => line.protocol === p.id)
    .map(resultKey),
);
const evalSteps = Array.from({ length: p.steps / p.evalEvery }, (_, i) => (i + 1) * p.evalEvery);
const sampleLabels = Array.from({ length: classes * p.samplesPerClass }, (_, i) => i % classes);
const gridColumns = Math.min(8, p.samplesPerClass);

/** Samples the trainer's EMA with the protocol's noise and labels; judges them; writes the final grid. */
async function evaluate(trainer: Trainer, sampler: JiT, variant: Variant, seed: number, trainSecondsPerStep: number): Promise<ResultLine> {
  const state = trainer.modules.emas[p.ema].stateDict();
  sampler.loadStateDict(state);
  tf.dispose([...state.values()]);
  const judgeStats = new StatisticsAccumulator(judge.embedDim);
  const targetStats = new StatisticsAccumulator(target.embedDim);
  let right = 0;
  let seen = 0;
  const gridPixels: Uint8Array[] = [];
  const started = performance.now();
  await sampleInBatches(
    sampler,
    sampleLabels,
    p.sampler,
    createRng(p.sampleSeed),
    async (images) => {
      await addFeatures(judge, judgeStats, images);
      await addFeatures(target, targetStats, images);
      const predicted = tf.tidy(() => tf.argMax(judge.classify(images), -1));
      const labels = await predicted.data();
      predicted.dispose();
      for (let i = 0; i < labels.length; i++) right += labels[i] === sampleLabels[seen + i] ? 1 : 0;
      if (seen < classes * gridColumns) gridPixels.push(Uint8Array.from(await toPixels(images)));
      seen += labels.length;
    },
    { batch: 100 },
  );
  const line: ResultLine = {
    protocol: p.id,
    variant,
    seed,
    step: trainer.step,
    fd: frechetDistance(judgeStats.statistics(), reference.judge),
    accuracy: right / seen,
    fd_target: frechetDistance(targetStats.statistics(), reference.target),
    samples: seen,
    train_seconds_per_step: trainSecondsPerStep,
    eval_seconds: (performance.now() - started) / 1000,
    ...machine,
    load: +loadavg()[0].toFixed(2),
    time: new Date().toISOString(),
  };
  if (trainer.step === p.steps) {
    // One row per class (the first `gridColumns` samples of each), class-major as the grid wants.
    const size = trainRecipes.quickstart.config.modelOverrides.inputSize;
    const imageBytes = size * size * 3;
    const samples = new Uint8Array(gridPixels.reduce((n, chunk) => n + chunk.length, 0));
    gridPixels.reduce((offset, chunk) => {
      samples.set(chunk, offset);
      return offset + chunk.length;
    }, 0);
    const grid = new Uint8Array(classes * gridColumns * imageBytes);
    for (let c = 0; c < classes; c++) {
      for (let k = 0; k < gridColumns; k++)
        grid.set(samples.subarray((k * classes + c) * imageBytes, (k * classes + c + 1) * imageBytes), (c * gridColumns + k) * imageBytes);
    }
    const file = join(resultsDir, `${changed ? `${p.id}-` : ''}samples-${variant}-seed${seed}.png`);
    await writeLabelledGrid(file, [{ title: `${variant}, seed ${seed}, step ${trainer.step}`, pixels: grid }], {
      rowLabels: train.classes,
      columns: gridColumns,
      imageSize: size,
      scale: 2,
      footer: `${p.sampler.method} ${p.sampler.steps} steps, CFG ${p.sampler.cfg}; judge FD ${line.fd.toFixed(1)}, accuracy ${(100 * line.accuracy).toFixed(0)} %`,
    });
  }
  return line;
}

// Errors are printed here: the WASM backend's rejection handler would print only their reason.
try {
  for (const seed of seeds) {
    for (const variant of variants) {
      const missing = evalSteps.filter((step) => !done.has(resultKey({ variant, seed, step })));
      if (missing.length === 0) {
        console.log(`${variant} seed ${seed}: all ${evalSteps.length} evaluations in the results file`);
        continue;
      }
      const runDir = join(outDir, `${variant}-seed${seed}`);
      const resume = listCheckpoints(join(runDir, 'checkpoints')).length > 0 ? runDir : undefined;
      let stepSeconds = 0;
      let stepCount = 0;
      let lastPrinted = 0;
      const runStarted = performance.now();
      const trainer = await Trainer.create({
        config: runConfig(p, variant, seed),
        data: new DataLoader(train, { batchSize: p.batchSize, seed: p.dataSeed, shuffle: true, flip: true, dropLast: true }),
        encoder: variant === 'none' ? undefined : target,
        outDir: runDir,
        resume,
        onEvent: (event) => {
          if (event.type === 'start')
            console.log(`${variant} seed ${seed}: ${event.resumedFrom ? `resumed at step ${event.step}` : 'new run'}, ${event.parameters} JiT parameters`);
          if (event.type === 'step') {
            stepSeconds += p.batchSize / event.imagesPerSecond;
            stepCount++;
            if (performance.now() - lastPrinted > (process.env.REPRODUCE_PRINT_MS ? Number(process.env.REPRODUCE_PRINT_MS) : 30_000)) {
              lastPrinted = performance.now();
              const rate = stepSeconds / stepCount;
              console.log(
                `${variant} seed ${seed}: step ${event.step}/${p.steps}, loss ${event.lossJit.toFixed(4)}${event.lossAlign === undefined ? '' : ` + align ${event.lossAlign.toFixed(4)}`}, ${rate.toFixed(3)} s/step, ETA ${(((p.steps - event.step) * rate) / 60).toFixed(0)} min of training`,
              );
            }
          }
        },
        evaluate: {
          every: p.evalEvery,
          run: async (current): Promise<Record<string, number>> => {
            const key = resultKey({ variant, seed, step: current.step });
            if (done.has(key)) return {};
            const line = await evaluate(current, sampler, variant, seed, stepCount > 0 ? stepSeconds / stepCount : NaN);
            stepSeconds = 0;
            stepCount = 0;
            appendFileSync(resultsPath, `${JSON.stringify(line)}\n`);
            done.add(key);
            console.log(
              `${variant} seed ${seed} step ${line.step}: judge FD ${line.fd.toFixed(2)}, accuracy ${(100 * line.accuracy).toFixed(1)} %, target FD ${line.fd_target.toFixed(2)} (${line.eval_seconds.toFixed(0)} s to sample and judge ${line.samples})`,
            );
            return { fd: line.fd, accuracy: line.accuracy, fd_target: line.fd_target };
          },
        },
      });
      const sampler = new JiT(trainer.modules.jit.config);
      await trainer.run();
      // Evaluations the run passed before this sweep's results file knew of them cannot be redone.
      const lost = evalSteps.filter((step) => step < trainer.step && !done.has(resultKey({ variant, seed, step })));
      if (lost.length > 0)
        console.warn(
          `${variant} seed ${seed}: no result for steps ${lost.join(', ')} and their weights are gone (checkpoints of this run were made without this results file)`,
        );
      if (!done.has(resultKey({ variant, seed, step: trainer.step })) && evalSteps.includes(trainer.step)) {
        const line = await evaluate(trainer, sampler, variant, seed, NaN);
        appendFileSync(resultsPath, `${JSON.stringify(line)}\n`);
        done.add(resultKey(line));
      }
      console.log(`${variant} seed ${seed}: done in ${((performance.now() - runStarted) / 60_000).toFixed(1)} min`);
      sampler.dispose();
      trainer.dispose();
    }
  }
  console.log(`all runs done; the report: npm run -w @pixelrepa/example-reproduction report`);
} catch (error) {
  console.error(`reproduce: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
}
