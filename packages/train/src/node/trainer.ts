import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tf, createRng, explainHeapExhaustion, rngFromState, type Rng, type Tensor } from '@pixelrepa/tensor';
import { drawFlow } from '@pixelrepa/jit';
import { batchLabelsTensor, batchToFloatTensor, type DataLoader, type Uint8Batch } from '@pixelrepa/data';
import { resolveTrainConfig, peakLearningRate, type TrainConfig } from '../config.js';
import { buildTrainingModules, type BuildOptions, type TrainingModules } from '../setup.js';
import { learningRate } from '../schedule.js';
import { trainStep, type StepResult } from '../step.js';
import { resumedConfig } from '../resume.js';
import { truncateRunLog } from './run-log.js';
import { checkWritable, listCheckpoints, pruneCheckpoints, readCheckpoint, resolveResumePath, restoreModules, saveCheckpoint } from './checkpoint.js';

/** A frozen encoder giving the alignment target: images [B, H, W, 3] in [−1, 1] → tokens [B, N, Dz]. */
export interface TargetEncoder {
  readonly embedDim: number;
  encode(images: Tensor): Tensor;
}

export type TrainerEvent =
  | { type: 'start'; step: number; steps: number; resumedFrom?: string; parameters: number }
  | ({ type: 'step'; step: number; steps: number; lr: number; imagesPerSecond: number; seconds: number } & StepResult)
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'eval'; step: number; metrics: Record<string, number> }
  | { type: 'stop'; step: number; reason: 'done' | 'signal' };

export interface TrainerOptions {
  config: Partial<TrainConfig> & Pick<TrainConfig, 'model' | 'steps' | 'batchSize'>;
  data: DataLoader;
  encoder?: TargetEncoder;
  /** Run folder: `log.jsonl`, `checkpoints/`. */
  outDir: string;
  /** A checkpoint file or a run folder to continue from (must exist). */
  resume?: string;
  onEvent?: (event: TrainerEvent) => void;
  /** Online evaluation every `every` steps (and at the end). */
  evaluate?: { every: number; run: (trainer: Trainer) => Promise<Record<string, number>> };
  /** Abort (SIGINT/SIGTERM in the CLI): the current step finishes, a checkpoint is written, `run` returns. */
  signal?: AbortSignal;
  /** Where AdamW's moments and the EMAs live (default `auto`: host for large models on wasm). */
  statePlacement?: BuildOptions['statePlacement'];
  /** Recompute the blocks' activations in the backward pass (default `auto`: when the step would crowd wasm's heap). */
  remat?: BuildOptions['remat'];
}

/**
 * The training loop of the reference recipe: JiT + an alignment objective on a dataset, AdamW
 * with warm-up, two EMAs, JSONL logs, atomic checkpoints (last K kept) and exact resume — the
 * data order, the random draws and the optimiser state continue where they stopped.
 */
export class Trainer {
  readonly config: TrainConfig;
  readonly modules: TrainingModules;
  readonly rng: Rng;
  step = 0;
  private readonly batchesPerEpoch: number;

  private constructor(
    private readonly options: TrainerOptions,
    config: TrainConfig,
    modules: TrainingModules,
    rng: Rng,
  ) {
    this.config = config;
    this.modules = modules;
    this.rng = rng;
    this.batchesPerEpoch = options.data.batchesPerEpoch();
    if (this.batchesPerEpoch < 1) throw new Error('the dataset gives no batch per epoch (is it empty, or smaller than the batch with dropLast?)');
  }

  /** Builds a fresh run or restores one (`options.resume`), checking the output folder first. */
  static async create(options: TrainerOptions): Promise<Trainer> {
    let config = resolveTrainConfig(options.config);
    let resumed: ReturnType<typeof readCheckpoint> | undefined;
    let resumePath: string | undefined;
    if (options.resume) {
      resumePath = resolveResumePath(options.resume);
      resumed = readCheckpoint(resumePath);
      config = resumedConfig(resumed.info.config, { steps: options.config.steps });
    }
    if (config.objective !== 'none' && !options.encoder) throw new Error(`the ${config.objective} objective needs an encoder`);
    // One seed gives both the initial weights and the training draws (independent streams).
    const [initRng, trainRng] = createRng(config.seed).split(2);
    const modules = buildTrainingModules(config, {
      targetWidth: options.encoder?.embedDim,
      random: initRng,
      statePlacement: options.statePlacement,
      remat: options.remat,
    });
    modules.jit.train();
    modules.objective?.train();
    const bytes = 4 * (modules.jit.parameterCount() * 3 + modules.parameters.reduce((n, p) => n + p.parameter.value.size * 3, 0));
    checkWritable(options.outDir, bytes);
    const rng = resumed ? rngFromState(resumed.info.rng) : trainRng;
    const trainer = new Trainer(options, config, modules, rng);
    if (resumed) {
      restoreModules(modules, resumed.tensors, resumed.optimizerStep);
      trainer.step = resumed.info.step;
      // Steps logged after the checkpoint (killed before it was written) are trained again: drop their lines.
      truncateRunLog(join(options.outDir, 'log.jsonl'), trainer.step);
    }
    options.onEvent?.({
      type: 'start',
      step: trainer.step,
      steps: config.steps,
      resumedFrom: resumePath,
      parameters: modules.jit.parameterCount({ trainableOnly: true }),
    });
    return trainer;
  }

  get checkpointDir(): string {
    return join(this.options.outDir, 'checkpoints');
  }

  /** Trains until `config.steps` (or an abort), writing logs and checkpoints. */
  async run(): Promise<{ step: number; reason: 'done' | 'signal' }> {
    const { config } = this;
    const { data, encoder, signal, evaluate, onEvent } = this.options;
    mkdirSync(this.options.outDir, { recursive: true });
    const logPath = join(this.options.outDir, 'log.jsonl');
    const stepsPerEpoch = this.batchesPerEpoch;
    const schedule = {
      lr: peakLearningRate(config),
      minLr: config.min_lr,
      warmupEpochs: config.warmup_epochs,
      epochs: config.epochs ?? config.steps / stepsPerEpoch,
      schedule: config.lr_schedule,
    };
    let epoch = Math.floor(this.step / stepsPerEpoch);
    let skip = this.step % stepsPerEpoch;
    const started = performance.now();
    while (this.step < config.steps) {
      for await (const batch of data.epoch(epoch)) {
        if (skip > 0) {
          skip--;
          continue;
        }
        // CPU backends never yield while computing: give signal handlers (SIGINT/SIGTERM) a turn.
        await new Promise((resolve) => setImmediate(resolve));
        const tick = performance.now();
        const lr = learningRate(this.step / stepsPerEpoch, schedule);
        let result: StepResult;
        try {
          result = await this.trainOnBatch(batch, lr, encoder);
        } catch (error) {
          throw explainHeapExhaustion(error, `training step ${this.step + 1} (batch ${batch.shape[0]})`);
        }
        this.step++;
        const seconds = (performance.now() - tick) / 1000;
        const event = {
          type: 'step' as const,
          step: this.step,
          steps: config.steps,
          lr,
          imagesPerSecond: batch.shape[0] / seconds,
          seconds: (performance.now() - started) / 1000,
          ...result,
        };
        appendFileSync(
          logPath,
          `${JSON.stringify({ step: event.step, lr, loss: result.loss, loss_jit: result.lossJit, loss_align: result.lossAlign, images_per_second: +event.imagesPerSecond.toFixed(2), time: new Date().toISOString() })}\n`,
        );
        onEvent?.(event);
        const last = this.step >= config.steps;
        if (evaluate && (this.step % evaluate.every === 0 || last)) {
          const metrics = await evaluate.run(this);
          appendFileSync(logPath, `${JSON.stringify({ step: this.step, eval: metrics })}\n`);
          onEvent?.({ type: 'eval', step: this.step, metrics });
        }
        if (signal?.aborted) {
          await this.checkpoint();
          onEvent?.({ type: 'stop', step: this.step, reason: 'signal' });
          return { step: this.step, reason: 'signal' };
        }
        if (last || this.step % config.checkpointEvery === 0) await this.checkpoint();
        if (last) break;
      }
      epoch++;
    }
    onEvent?.({ type: 'stop', step: this.step, reason: 'done' });
    return { step: this.step, reason: 'done' };
  }

  /** One step on a uint8 batch: draws (in the reference's order), target tokens, update. */
  private async trainOnBatch(batch: Uint8Batch, lr: number, encoder?: TargetEncoder): Promise<StepResult> {
    const images = batchToFloatTensor(batch);
    const labels = batchLabelsTensor(batch);
    const draws = { ...drawFlow(this.rng, images.shape), maskNoise: undefined as Tensor | undefined };
    const { jit, objective } = this.modules;
    if (objective?.kind === 'pixelrepa') draws.maskNoise = this.rng.uniform([images.shape[0], jit.numPatches]);
    const target = objective && encoder ? tf.tidy(() => encoder.encode(images)) : undefined;
    try {
      return await trainStep(this.modules, { images, labels, target }, draws, lr);
    } finally {
      tf.dispose([images, labels, draws.dropU, draws.tNormal, draws.e, ...(draws.maskNoise ? [draws.maskNoise] : []), ...(target ? [target] : [])]);
    }
  }

  /** Writes a checkpoint now (atomic) and prunes old ones. */
  async checkpoint(): Promise<string> {
    const existing = listCheckpoints(this.checkpointDir);
    const path =
      existing.find((p) => p.endsWith(`checkpoint-${this.step}.safetensors`)) ??
      (await saveCheckpoint(this.checkpointDir, this.modules, {
        step: this.step,
        config: this.config,
        rng: this.rng.getState(),
        extra: { targetWidth: this.options.encoder?.embedDim },
      }));
    pruneCheckpoints(this.checkpointDir, this.config.keepLast);
    this.options.onEvent?.({ type: 'checkpoint', step: this.step, path });
    return path;
  }

  dispose(): void {
    this.modules.dispose();
  }
}
