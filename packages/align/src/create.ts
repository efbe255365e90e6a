import type { AlignmentObjective } from './objective.js';
import { RepaObjective, type RepaConfig } from './repa.js';
import { PixelRepaObjective, type PixelRepaConfig } from './pixelrepa.js';

export type ObjectiveName = 'repa' | 'pixelrepa';

/** Each objective's config, by name. */
export interface ObjectiveConfigs {
  repa: RepaConfig;
  pixelrepa: PixelRepaConfig;
}

/**
 * An objective by name: `createObjective('repa', {...})` or `createObjective('pixelrepa', {...})`;
 * a name known only at run time (a flag, a recipe) works too, with the config its name needs.
 */
export function createObjective(name: 'repa', config: RepaConfig): RepaObjective;
export function createObjective(name: 'pixelrepa', config: PixelRepaConfig): PixelRepaObjective;
export function createObjective<N extends ObjectiveName>(name: N, config: ObjectiveConfigs[N]): AlignmentObjective;
export function createObjective(name: ObjectiveName, config: RepaConfig | PixelRepaConfig): AlignmentObjective {
  switch (name) {
    case 'repa':
      return new RepaObjective(config as RepaConfig);
    case 'pixelrepa':
      return new PixelRepaObjective(config as PixelRepaConfig);
    default:
      throw new Error(`unknown alignment objective "${name as string}" (repa or pixelrepa)`);
  }
}
