// `--recipe <name>`: a run of @pixelrepa/train's recipe table (the one `npm start` trains) as `train`
// flags. Flags given on the command line or in a config file override a recipe.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainRecipes, type TrainRecipe, type TrainRecipeName } from '@pixelrepa/train';

export { trainRecipes, type TrainRecipeName };

/**
 * A recipe's repository-relative asset (the quickstart's data and encoder are committed in the
 * repository): found above this module (from src/ or the bundled dist/); outside a clone, where the
 * repository would be.
 */
export function repositoryAsset(path: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let folder = here; ; folder = dirname(folder)) {
    if (existsSync(join(folder, path))) return join(folder, path);
    if (dirname(folder) === folder) return join(here, '..', '..', '..', path);
  }
}

/** The recipe as flag values (flag names as on the command line), its assets resolved. */
export function recipeFlags(recipe: TrainRecipe): Record<string, unknown> {
  const { config, data } = recipe;
  const { inputSize, numClasses, ...modelOverrides } = config.modelOverrides;
  return {
    model: config.model,
    img_size: inputSize,
    class_num: numClasses,
    model_overrides: modelOverrides,
    objective: config.objective,
    mta: config.adapter,
    patch_mask_ratio: config.maskRatio,
    encoder: repositoryAsset(recipe.encoder),
    ...(data.dataset === 'fashion-mnist'
      ? { data: 'fashion-mnist', data_path: repositoryAsset(data.folder), data_split: data.split }
      : { data: 'procedural', data_length: data.length }),
    batch_size: config.batchSize,
    steps: config.steps,
    blr: config.blr,
    warmup_epochs: config.warmup_epochs,
    ema_decay1: config.ema_decay1,
    ema_decay2: config.ema_decay2,
    seed: config.seed,
    checkpoint_every: config.checkpointEvery,
    keep_last: config.keepLast,
  };
}

/** The recipe's flags under what was given (`given` names the flags set by the command line or a config file). */
export function applyRecipe<V extends Record<string, unknown>>(name: TrainRecipeName, values: V, given: ReadonlySet<string>): V {
  const out: Record<string, unknown> = { ...values };
  for (const [flag, value] of Object.entries(recipeFlags(trainRecipes[name]))) if (!given.has(flag)) out[flag] = value;
  return out as V;
}

/** The recipe's committed assets must be there (they are in a clone of the repository, not in the npm package). */
export function recipeAssetMissing(name: TrainRecipeName, values: { encoder?: string; data_path?: string }, given: ReadonlySet<string>): string | undefined {
  const where = 'it is committed in the repository under examples/quickstart/assets';
  if (!given.has('encoder') && values.encoder !== undefined && !existsSync(values.encoder)) {
    return `--recipe ${name} aligns to the quickstart's encoder, ${values.encoder}, which is not there (${where}); pass --encoder <SmallViT .safetensors>`;
  }
  if (!given.has('data_path') && values.data_path !== undefined && !existsSync(values.data_path)) {
    return `--recipe ${name} trains on ${values.data_path}, which is not there (${where}); pass --data_path <folder with the official Fashion-MNIST files>`;
  }
  return undefined;
}
