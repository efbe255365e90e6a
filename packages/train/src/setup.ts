import { JiT, type FlowMatchingConfig, type JiTConfig } from '@pixelrepa/jit';
import { createObjective, type AlignmentObjective, type ObjectiveConfigs, type ObjectiveName } from '@pixelrepa/align';
import type { Parameter, RandomSource } from '@pixelrepa/nn';
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

export function buildTrainingModules(config: TrainConfig, { targetWidth, random, statePlacement = 'auto' }: BuildOptions = {}): TrainingModules {
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
  const placement = resolveStatePlacement(
    statePlacement,
    parameters.reduce((n, p) => n + p.parameter.value.size, 0),
    averaged,
  );
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
