import type { TrainConfig } from './config.js';

/**
 * The config a resumed run continues with — decided here only: the saved config defines the run
 * (model, objective, optimiser, seed…); only its length (`steps`) may change.
 */
export function resumedConfig(saved: TrainConfig, requested: { steps?: number }): TrainConfig {
  return { ...saved, steps: requested.steps ?? saved.steps };
}
