// Named sets of `train` flags (`--recipe <name>`): the small runs that the examples make, so the
// command line reproduces them. Flags given on the command line or in a config file override a recipe.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const quickstartEncoder = join('examples', 'quickstart', 'assets', 'procedural-encoder.safetensors');

/**
 * The quickstart's frozen encoder, committed in the repository: found above this module (from src/
 * or from the bundled dist/); outside a clone, where the repository would be.
 */
export const quickstartEncoderPath = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let folder = here; ; folder = dirname(folder)) {
    if (existsSync(join(folder, quickstartEncoder))) return join(folder, quickstartEncoder);
    if (dirname(folder) === folder) return join(here, '..', '..', '..', quickstartEncoder);
  }
})();

export interface TrainRecipe {
  description: string;
  /** Flag values (flag names as on the command line). */
  flags: Readonly<Record<string, unknown>>;
}

export const trainRecipes = {
  /**
   * `npm start` (examples/quickstart): a 32 px JiT with 8×8 patches (a 4×4 token grid), width 128, six
   * blocks, PixelREPA against the small ViT trained on the procedural dataset; 600 steps of 32 images.
   * EMA decays 0.99 / 0.999 so that a run this short samples with trained weights (0.9999 would
   * still be ~94 % the initial weights after 600 updates).
   */
  quickstart: {
    description: 'the quickstart (npm start): JiT 32 px, 8×8 patches, width 128, 6 blocks, PixelREPA with the procedural encoder, 600 steps × 32 images',
    flags: {
      model: 'JiT-Tiny/4', img_size: 32, class_num: 10,
      model_overrides: { patchSize: 8, hiddenSize: 128, numHeads: 4, depth: 6, bottleneckDim: 32, inContextLen: 4, inContextStart: 2 },
      objective: 'pixelrepa', mta: 'MTA-B/16', encoder: quickstartEncoderPath,
      data: 'procedural', data_length: 20_000,
      batch_size: 32, steps: 600, blr: 8e-3, warmup_epochs: 0.05, ema_decay1: 0.99, ema_decay2: 0.999, seed: 0,
      checkpoint_every: 150, keep_last: 1,
    },
  },
} as const satisfies Record<string, TrainRecipe>;

export type TrainRecipeName = keyof typeof trainRecipes;

/** The recipe's flags under what was given (`given` names the flags set by the command line or a config file). */
export function applyRecipe<V extends Record<string, unknown>>(name: TrainRecipeName, values: V, given: ReadonlySet<string>): V {
  const out: Record<string, unknown> = { ...values };
  for (const [flag, value] of Object.entries(trainRecipes[name].flags)) if (!given.has(flag)) out[flag] = value;
  return out as V;
}

/** The recipe's encoder file must be there (it is in a clone of the repository, not in the npm package). */
export function recipeEncoderMissing(name: TrainRecipeName, encoder: string, given: ReadonlySet<string>): string | undefined {
  if (given.has('encoder') || existsSync(encoder)) return undefined;
  return `--recipe ${name} aligns to the quickstart's encoder, ${encoder}, which is not there (it is committed in the repository under examples/quickstart/assets); pass --encoder <SmallViT .safetensors>`;
}
