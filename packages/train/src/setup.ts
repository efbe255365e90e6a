import { JiT, jitConfig, type FlowMatchingConfig } from '@pixelrepa/jit';
import { PixelRepaObjective, RepaObjective, type AlignmentObjective } from '@pixelrepa/align';
import type { Parameter, RandomSource } from '@pixelrepa/nn';
import { adamwInit, disposeAdamW, weightDecayGroups, type AdamWState, type OptimizedParameter } from './adamw.js';
import { Ema } from './ema.js';
import type { TrainConfig } from './config.js';

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
export function buildTrainingModules(config: TrainConfig, { targetWidth, random }: { targetWidth?: number; random?: RandomSource } = {}): TrainingModules {
  const model = typeof config.model === 'string' ? jitConfig(config.model, config.modelOverrides) : { ...config.model, ...config.modelOverrides };
  const jit = new JiT(model, { random });
  let objective: AlignmentObjective | undefined;
  if (config.objective !== 'none') {
    if (!targetWidth) throw new Error(`the ${config.objective} objective needs an encoder (its token width sets the target)`);
    if (config.objective === 'repa') {
      objective = new RepaObjective({ hiddenSize: model.hiddenSize, targetSize: targetWidth, projectorDim: config.projectorDim, weight: config.alignWeight, random });
    } else {
      objective = new PixelRepaObjective({
        adapter: config.adapter ?? 'MTA-B/16',
        adapterOverrides: {
          inputSize: model.inputSize, patchSize: model.patchSize, hiddenSize: model.hiddenSize, numHeads: model.numHeads,
          numClasses: model.numClasses, outChannels: targetWidth, inContextLen: model.inContextLen, ...config.adapterOverrides,
        },
        maskToken: jit.mask_token,
        maskRatio: config.maskRatio,
        weight: config.alignWeight,
        random,
      });
    }
  }
  // Reference order: the JiT's parameters (net.*), then the objective's.
  const named: Array<[string, Parameter]> = [
    ...jit.namedParameters().map(([n, p]) => [`net.${n}`, p] as [string, Parameter]),
    ...(objective?.namedParameters() ?? []).map(([n, p]) => [`${objectivePrefix(objective!)}${n}`, p] as [string, Parameter]),
  ];
  const parameters = weightDecayGroups(named, config.weight_decay);
  const optimizer = adamwInit(parameters);
  const emas: [Ema, Ema] = [new Ema(jit, config.ema_decay1), new Ema(jit, config.ema_decay2)];
  const flow: FlowMatchingConfig = {
    pMean: config.P_mean, pStd: config.P_std, tEps: config.t_eps, noiseScale: config.noise_scale,
    labelDropProb: config.label_drop_prob, numClasses: model.numClasses,
  };
  return {
    jit, objective, parameters, optimizer, emas, flow,
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
