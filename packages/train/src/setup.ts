import { JiT, type FlowMatchingConfig, type JiTConfig } from '@pixelrepa/jit';
import { createObjective, type AlignmentObjective, type ObjectiveConfigs, type ObjectiveName } from '@pixelrepa/align';
import { AdaLNBlock, namedModules, setBlockRemat, type Module, type Parameter, type RandomSource } from '@pixelrepa/nn';
import { backendCapabilities } from '@pixelrepa/tensor';
import { adamwInit, disposeAdamW, weightDecayGroups, type AdamWState, type OptimizedParameter, type StatePlacement } from './adamw.js';
import { Ema } from './ema.js';
import { referenceRun, trainConfigModel, type TrainConfig } from './config.js';

/** The modules and optimiser state of a run, built from its config. */
export interface TrainingModules {
  jit: JiT;
  objective?: AlignmentObjective;
  parameters: OptimizedParameter[];
  optimizer: AdamWState;
  /** EMAs of the JiT weights: [decay1 (used for sampling), decay2]. */
  emas: [Ema, Ema];
  flow: FlowMatchingConfig;
  /** Whether the blocks recompute their activations in the backward pass (`BuildOptions.remat`). */
  remat: boolean;
  dispose(): void;
}

/**
 * Builds JiT, the alignment objective (its adapter sized from the model and the encoder width),
 * the optimiser groups (no decay on 1-D parameters and biases) and both EMAs. Initial weights come
 * from `random` (a seeded generator makes them reproducible).
 */
export interface BuildOptions {
  /** Width of the target encoder's tokens (needed by `repa` and `pixelrepa`). */
  targetWidth?: number;
  random?: RandomSource;
  /**
   * Where AdamW's moments and the EMAs live (see `StatePlacement`). `auto` (default): `host` on
   * a backend with a heap limit (wasm: 4 GiB) when they would take more than a quarter of it,
   * else `device`.
   */
  statePlacement?: StatePlacement | 'auto';
  /**
   * Recompute each transformer block's activations in the backward pass instead of keeping them
   * (`remat`: one more forward pass of the blocks, a fraction of the memory). `auto` (default): on
   * when the step's estimated heap (`estimateStepHeapBytes`) would pass 90 % of a limited heap (wasm).
   */
  remat?: boolean | 'auto';
}

/** The share of a limited heap (1 GiB of WASM's 4 GiB) that moments and EMAs may take on the device. */
const STATE_HEAP_SHARE = 1 / 4;

/** The placement `auto` resolves to for a run with these parameter counts on the active backend. */
export function resolveStatePlacement(placement: StatePlacement | 'auto', trainable: number, averaged: number): StatePlacement {
  if (placement !== 'auto') return placement;
  const bytes = 4 * (2 * trainable + 2 * averaged);
  const { heapLimitBytes } = backendCapabilities();
  return heapLimitBytes !== undefined && bytes > STATE_HEAP_SHARE * heapLimitBytes ? 'host' : 'device';
}

/**
 * Heap bytes a training step keeps per image and per value of a transformer block's [N, D] stream
 * without remat: tfjs keeps every intermediate of the forward pass until the backward pass ends
 * (~90 floats per value: the MLP's wider tensors and the attention maps included). Measured on wasm
 * with JiT-B/16 + MTA (14 blocks × 288 tokens × 768 = 3.1 M values per image): the heap grew
 * 1100 MiB per image without remat, 118 MiB with it; 1540 MiB at no images for 155 M parameters.
 */
const STEP_BYTES_PER_BLOCK_VALUE = 370;
/** With remat: the blocks' inputs, one block's intermediates while it is differentiated, the loss's tensors. */
const REMAT_STEP_BYTES_PER_BLOCK_VALUE = 40;
/** Heap per trainable parameter besides activations: the value, its gradient, the backward pass's temporaries. */
const STEP_BYTES_PER_PARAMETER = 10.5;
/** The share of a limited heap a step may be estimated to need before `remat: 'auto'` turns on. */
const REMAT_HEAP_SHARE = 0.9;

/** Tokens × width summed over every transformer block (JiT and adapter) for one image. */
export function blockValuesPerImage(roots: Module[], tokens: number): number {
  let values = 0;
  for (const root of roots) for (const [, module] of namedModules(root)) if (module instanceof AdaLNBlock) values += tokens * module.hiddenSize;
  return values;
}

/** A rough estimate of the heap a training step of `batch` images takes (parameters and state on the device excluded). */
export function estimateStepHeapBytes({
  batch,
  blockValues,
  trainable,
  remat,
}: {
  batch: number;
  blockValues: number;
  trainable: number;
  remat: boolean;
}): number {
  return trainable * STEP_BYTES_PER_PARAMETER + batch * blockValues * (remat ? REMAT_STEP_BYTES_PER_BLOCK_VALUE : STEP_BYTES_PER_BLOCK_VALUE);
}

/** Whether `remat: 'auto'` turns block recomputation on for a step of this size on the active backend. */
export function resolveRemat(remat: boolean | 'auto', step: { batch: number; blockValues: number; trainable: number; deviceStateBytes: number }): boolean {
  if (remat !== 'auto') return remat;
  const { heapLimitBytes } = backendCapabilities();
  if (heapLimitBytes === undefined) return false;
  return step.deviceStateBytes + estimateStepHeapBytes({ ...step, remat: false }) > REMAT_HEAP_SHARE * heapLimitBytes;
}

interface ObjectiveContext {
  config: TrainConfig;
  model: JiTConfig;
  jit: JiT;
  targetWidth: number;
  random: RandomSource | undefined;
}

/** How a run's config and its JiT set each alignment objective's config (align's `createObjective` builds it). */
const objectiveConfigs: { [N in ObjectiveName]: (context: ObjectiveContext) => ObjectiveConfigs[N] } = {
  repa: ({ config, model, targetWidth, random }) => ({
    hiddenSize: model.hiddenSize,
    targetSize: targetWidth,
    projectorDim: config.projectorDim,
    weight: config.alignWeight,
    random,
  }),
  pixelrepa: ({ config, model, jit, targetWidth, random }) => ({
    adapter: config.adapter ?? referenceRun.adapter,
    adapterOverrides: {
      inputSize: model.inputSize,
      patchSize: model.patchSize,
      hiddenSize: model.hiddenSize,
      numHeads: model.numHeads,
      numClasses: model.numClasses,
      outChannels: targetWidth,
      inContextLen: model.inContextLen,
      ...config.adapterOverrides,
    },
    maskToken: jit.mask_token,
    maskRatio: config.maskRatio,
    weight: config.alignWeight,
    random,
  }),
};

export function buildTrainingModules(
  config: TrainConfig,
  { targetWidth, random, statePlacement = 'auto', remat = 'auto' }: BuildOptions = {},
): TrainingModules {
  const model = trainConfigModel(config);
  const jit = new JiT(model, { random });
  let objective: AlignmentObjective | undefined;
  if (config.objective !== 'none') {
    if (!targetWidth) throw new Error(`the ${config.objective} objective needs an encoder (its token width sets the target)`);
    objective = createObjective(config.objective, objectiveConfigs[config.objective]({ config, model, jit, targetWidth, random }));
  }
  // Reference order: the JiT's parameters (net.*), then the objective's.
  const named: Array<[string, Parameter]> = [
    ...jit.namedParameters().map(([n, p]) => [`net.${n}`, p] as [string, Parameter]),
    ...(objective?.namedParameters() ?? []).map(([n, p]) => [`${objectivePrefix(objective!)}${n}`, p] as [string, Parameter]),
  ];
  const parameters = weightDecayGroups(named, config.weight_decay);
  const averaged = jit.namedParameters().reduce((n, [, p]) => n + p.value.size, 0);
  const trainable = parameters.reduce((n, p) => n + p.parameter.value.size, 0);
  const placement = resolveStatePlacement(statePlacement, trainable, averaged);
  const roots: Module[] = objective ? [jit, objective] : [jit];
  const recompute = resolveRemat(remat, {
    batch: config.batchSize,
    blockValues: blockValuesPerImage(roots, jit.numPatches + model.inContextLen),
    trainable,
    deviceStateBytes: placement === 'device' ? 4 * (2 * trainable + 2 * averaged) : 0,
  });
  roots.forEach((root) => setBlockRemat(root, recompute));
  const optimizer = adamwInit(parameters, { placement });
  const emas: [Ema, Ema] = [new Ema(jit, config.ema_decay1, { placement }), new Ema(jit, config.ema_decay2, { placement })];
  const flow: FlowMatchingConfig = {
    pMean: config.P_mean,
    pStd: config.P_std,
    tEps: config.t_eps,
    noiseScale: config.noise_scale,
    labelDropProb: config.label_drop_prob,
    numClasses: model.numClasses,
  };
  return {
    jit,
    objective,
    parameters,
    optimizer,
    emas,
    flow,
    remat: recompute,
    dispose() {
      disposeAdamW(optimizer);
      emas.forEach((ema) => ema.dispose());
      objective?.dispose();
      jit.dispose();
    },
  };
}

/** Names in checkpoints: PixelREPA's adapter keys already start with `masked_transformer_adapter.`. */
function objectivePrefix(objective: AlignmentObjective): string {
  return objective.kind === 'repa' ? 'repa.' : '';
}
