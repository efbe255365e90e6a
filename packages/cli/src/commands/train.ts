import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { DataLoader, type SampleSource } from '@pixelrepa/data';
import type { Encoder } from '@pixelrepa/encoders';
import { NonFiniteLossError, trainConfigModel, type TrainConfig } from '@pixelrepa/train';
import { Trainer, initializeFrom, listCheckpoints, type TrainerEvent } from '@pixelrepa/train/node';
import { startBackend } from '../backend.js';
import { defineCommand, type OutputStream } from '../context.js';
import { UsageError } from '../errors.js';
import { loadTargetEncoder } from '../load-encoder.js';
import { createProgress, type Progress } from '../progress.js';
import { openTrainingData } from '../training-data.js';
import { planTrainRun, withoutUndefined } from './train-plan.js';
import { trainFlags } from './train-flags.js';

export const trainCommand = defineCommand(
  {
    name: 'train',
    summary: 'train a JiT with PixelREPA, REPA or no alignment',
    usage: '[flags]',
    description: [
      'Trains with the reference recipe (AdamW, warm-up, two EMAs), writing <output_dir>/log.jsonl (one line per step),',
      '<output_dir>/flags.json (reusable with --config; --resume reads it) and atomic checkpoints in <output_dir>/checkpoints/.',
      'SIGINT / SIGTERM (Ctrl-C): the current step finishes, a checkpoint is written, and the command exits with 0.',
    ].join('\n'),
    flags: trainFlags,
    examples: [
      'pixelrepa train --model JiT-B/16 --mta MTA-B/16 --data_path imagenet/train --batch_size 128 --epochs 600 --output_dir runs/b16',
      'pixelrepa train --recipe quickstart --output_dir runs/tiny                # what npm start trains (Fashion-MNIST test split), from the command line',
      'pixelrepa train --recipe quickstart --data_path /usr/share/datasets/fashion-mnist --data_split train --output_dir runs/fmnist-train',
      'pixelrepa train --resume runs/tiny --steps 1200                          # continue a run with everything it was started with',
    ],
  },
  async (parsed, context) => {
    const { stderr } = context;
    const { values, config, outDir, resume } = planTrainRun(parsed, context.cwd);
    const resumePath = resume?.checkpoint;
    if (resume) {
      const { ignored, flagsFile, runDir } = resume;
      stderr.write(
        `resuming the run in ${runDir}${flagsFile ? ` with its flags (${flagsFile})` : ' (it has no flags.json: only the flags given now apply)'}\n`,
      );
      if (ignored.length)
        stderr.write(
          `resuming: the run's saved config is used, so ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored (only --steps may change)\n`,
        );
    } else {
      refuseUsedOutputDir(outDir, parsed.values.output_dir);
    }
    const model = trainConfigModel(config);
    const signals = context.handleSignals === false ? undefined : listenForStop(stderr);
    let source: SampleSource | undefined;
    let encoder: Encoder | undefined;
    let trainer: Trainer | undefined;
    let progress: Progress | undefined;
    try {
      await startBackend(values, stderr);
      // Data warnings (skipped files) go above the progress bar once it runs.
      const warn = (line: string) => (progress ? progress.note(line) : stderr.write(`${line}\n`));
      const opened = await openTrainingData({
        dataPath: values.data_path,
        data: values.data,
        split: values.data_split as 'train' | 'test' | undefined,
        imageSize: model.inputSize,
        numClasses: model.numClasses,
        length: values.data_length,
        workers: values.num_workers,
        warn,
      });
      source = opened.source;
      const data = new DataLoader(source, { batchSize: config.batchSize, seed: config.seed ?? 0, shuffle: true, flip: true, dropLast: true, warn });
      config.steps ??= stepsFromEpochs(values.epochs, data.batchesPerEpoch());
      if ((config.objective ?? 'pixelrepa') !== 'none') {
        const grid = model.inputSize / model.patchSize;
        encoder = await loadTargetEncoder(values.encoder, {
          grid,
          weightsFile: values.encoder_weights,
          offline: values.offline,
          cacheDir: values.cache_dir,
          stderr,
        });
        stderr.write(`target encoder: ${encoder.label} (${encoder.embedDim}-d tokens)\n`);
      }
      if (!resumePath) writeFlagsFile(outDir, values);
      stderr.write(`data: ${opened.description}\n`);
      trainer = await Trainer.create({
        config: config as Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'steps' | 'batchSize'>,
        data,
        encoder,
        outDir,
        resume: resumePath,
        signal: signals?.signal,
        statePlacement: values.state_placement as 'auto' | 'device' | 'host',
        remat: values.remat === 'auto' ? 'auto' : values.remat === 'on',
        onEvent: (event) => {
          progress = showEvent(event, progress, stderr);
        },
      });
      if (values.init_from !== undefined) {
        const from = values.init_from;
        const { parts } = initializeFrom(trainer.modules, from, { freshOptimizer: values.fresh_optimizer });
        progress?.note(`initialised ${parts.join(', ')} from ${from}`);
      }
      const result = await runTraining(trainer);
      progress?.stop();
      const last = listCheckpoints(trainer.checkpointDir)[0];
      if (result.reason === 'signal') {
        stderr.write(
          `stopped at step ${result.step} (${signals?.received}); checkpoint ${last}\ncontinue with: pixelrepa train --resume ${shownPath(context.cwd, outDir)}\n`,
        );
      } else {
        stderr.write(`done: ${result.step} steps; checkpoint ${last}\nsample with: pixelrepa sample --checkpoint ${shownPath(context.cwd, outDir)}\n`);
      }
      return 0;
    } finally {
      progress?.stop();
      signals?.dispose();
      trainer?.dispose();
      encoder?.dispose();
      await source?.close?.();
    }
  },
);

function stepsFromEpochs(epochs: number | undefined, perEpoch: number): number {
  if (epochs === undefined) throw new UsageError('say how long to train: --steps <n> or --epochs <n>');
  return Math.max(1, Math.round(epochs * perEpoch));
}

/** Runs the loop; a NaN or infinite loss becomes a message naming the step, the loss and the last good checkpoint. */
async function runTraining(trainer: Trainer): Promise<{ step: number; reason: 'done' | 'signal' }> {
  try {
    return await trainer.run();
  } catch (error) {
    if (!(error instanceof NonFiniteLossError)) throw error;
    const last = listCheckpoints(trainer.checkpointDir)[0];
    throw new Error(
      `training stopped at step ${trainer.step + 1}: ${error.message}. ${last ? `The last good checkpoint is ${last}` : 'No checkpoint was written yet'}; lower the learning rate (--blr) or check the data, then resume`,
    );
  }
}

function showEvent(event: TrainerEvent, progress: Progress | undefined, stderr: OutputStream): Progress | undefined {
  switch (event.type) {
    case 'start': {
      const from = event.resumedFrom ? `resuming ${event.resumedFrom} at step ${event.step}` : 'starting';
      stderr.write(`${from}: ${(event.parameters / 1e6).toFixed(2)}M trainable JiT parameters, ${event.steps} steps\n`);
      return createProgress(stderr, { label: 'train', total: event.steps, start: event.step });
    }
    case 'step': {
      const parts = event.lossAlign === undefined ? '' : ` (v ${event.lossJit.toFixed(4)}, align ${event.lossAlign.toFixed(4)})`;
      progress?.update(event.step, `loss ${event.loss.toFixed(4)}${parts} · lr ${event.lr.toExponential(2)} · ${event.imagesPerSecond.toFixed(1)} img/s`);
      return progress;
    }
    case 'checkpoint':
      progress?.note(`checkpoint at step ${event.step}: ${event.path}`);
      return progress;
    case 'eval':
      progress?.note(`eval at step ${event.step}: ${JSON.stringify(event.metrics)}`);
      return progress;
    default:
      return progress;
  }
}

/**
 * SIGINT / SIGTERM ask the trainer to stop after the current step (it then checkpoints); a second
 * signal exits at once.
 */
function listenForStop(stderr: OutputStream): { signal: AbortSignal; received?: string; dispose(): void } {
  const controller = new AbortController();
  const state: { signal: AbortSignal; received?: string; dispose(): void } = {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
  function stop(signal: NodeJS.Signals) {
    if (controller.signal.aborted) {
      stderr.write(`\n${signal} again: exiting now, without a checkpoint for this step\n`);
      process.exit(130);
    }
    state.received = signal;
    stderr.write(`\n${signal}: finishing this step and writing a checkpoint (send it again to exit at once)\n`);
    controller.abort();
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return state;
}

/**
 * The flags of a fresh run as a config file (`--config <output_dir>/flags.json` repeats it, and
 * `--resume <output_dir>` reads it); its paths are absolute, so it works from any folder.
 */
function writeFlagsFile(outDir: string, values: Record<string, unknown>): void {
  mkdirSync(outDir, { recursive: true });
  const { resume: _resume, help: _help, ...flags } = withoutUndefined(values);
  writeFileSync(join(outDir, 'flags.json'), `${JSON.stringify(flags, null, 2)}\n`);
}

/** A path as the user would type it from `cwd` (relative when inside it). */
function shownPath(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path;
}

/** A fresh run must not mix its checkpoints with an earlier run's. */
function refuseUsedOutputDir(outDir: string, shown: string): void {
  const existing = listCheckpoints(join(outDir, 'checkpoints'))[0];
  if (existing)
    throw new UsageError(
      `--output_dir ${shown} already holds checkpoints of a run (newest: ${existing}); continue it with --resume ${shown}, or choose another --output_dir`,
    );
}
