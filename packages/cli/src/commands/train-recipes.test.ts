import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jitConfig } from '@pixelrepa/jit';
import { initBackend } from '@pixelrepa/tensor';
import { readCheckpoint } from '@pixelrepa/train/node';
import { runCli } from '../cli.js';
import { bufferContext } from '../test-support/harness.js';
import { applyRecipe, recipeFlags, repositoryAsset, trainRecipes } from './train-recipes.js';

describe('train --recipe', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-recipe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills the flags that were not given', () => {
    const values = applyRecipe('quickstart', { steps: 5, batch_size: 128, seed: 0 }, new Set(['steps']));
    expect(values).toMatchObject({ steps: 5, batch_size: 32, ema_decay1: 0.99, data: 'fashion-mnist', data_split: 'test' });
  });

  it('finds the committed assets of examples/quickstart', () => {
    const { encoder, data_path } = recipeFlags(trainRecipes.quickstart) as { encoder: string; data_path: string };
    expect(encoder.split(/[\\/]/).slice(-4)).toEqual(['examples', 'quickstart', 'assets', 'fashion-mnist-encoder.safetensors']);
    expect(readFileSync(encoder).length).toBeGreaterThan(1000);
    expect(data_path).toBe(repositoryAsset('examples/quickstart/assets/fashion-mnist'));
  });

  it("quickstart trains the quickstart's model on the committed Fashion-MNIST test split with its encoder; flags given override it", async () => {
    const out = join(dir, 'tiny');
    const { context, stderr } = bufferContext(dir);
    const code = await runCli(['train', '--recipe', 'quickstart', '--backend', 'cpu', '--steps', '1', '--batch_size', '2', '--output_dir', 'tiny'], context);
    expect(code, stderr()).toBe(0);
    expect(stderr()).toContain('target encoder: SmallViT');
    expect(stderr()).toContain('Fashion-MNIST, official test split (10000 images');
    const { info } = readCheckpoint(join(out, 'checkpoints', 'checkpoint-1.safetensors'));
    const recipe = trainRecipes.quickstart.config;
    const model = jitConfig(info.config.model as string, info.config.modelOverrides);
    expect(model).toEqual(jitConfig(recipe.model as string, recipe.modelOverrides));
    expect(model.inputSize / model.patchSize).toBe(4);
    expect(info.config).toMatchObject({
      objective: 'pixelrepa',
      batchSize: 2,
      steps: 1,
      blr: recipe.blr,
      ema_decay1: recipe.ema_decay1,
      ema_decay2: recipe.ema_decay2,
    });
    expect(JSON.parse(readFileSync(join(out, 'flags.json'), 'utf8'))).toMatchObject({
      recipe: 'quickstart',
      encoder: repositoryAsset(trainRecipes.quickstart.encoder),
      data_split: 'test',
    });
  });

  it('--data_split applies to Fashion-MNIST only', async () => {
    const { context, stderr } = bufferContext(dir);
    const code = await runCli(
      ['train', '--recipe', 'quickstart-procedural', '--data_split', 'test', '--backend', 'cpu', '--steps', '1', '--output_dir', 'bad-split'],
      context,
    );
    expect(code).toBe(2);
    expect(stderr()).toContain('--data_split test chooses a split of --data fashion-mnist');
  });
});
