import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jitConfig } from '@pixelrepa/jit';
import { initBackend } from '@pixelrepa/tensor';
import { readCheckpoint } from '@pixelrepa/train/node';
import { runCli } from '../cli.js';
import { bufferContext } from '../test-support/harness.js';
import { applyRecipe, quickstartEncoderPath, trainRecipes } from './train-recipes.js';

describe('train --recipe', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-recipe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills the flags that were not given', () => {
    const values = applyRecipe('quickstart', { steps: 5, batch_size: 128, seed: 0 }, new Set(['steps']));
    expect(values).toMatchObject({ steps: 5, batch_size: 32, ema_decay1: 0.99, data: 'procedural' });
  });

  it('quickstart finds the committed encoder of examples/quickstart', () => {
    expect(quickstartEncoderPath.split(/[\\/]/).slice(-4)).toEqual(['examples', 'quickstart', 'assets', 'procedural-encoder.safetensors']);
    expect(readFileSync(quickstartEncoderPath).length).toBeGreaterThan(1000);
  });

  it('quickstart trains the quickstart\'s model on the procedural data with its encoder; flags given override it', async () => {
    const out = join(dir, 'tiny');
    const { context, stderr } = bufferContext(dir);
    const code = await runCli(['train', '--recipe', 'quickstart', '--backend', 'cpu', '--steps', '1', '--batch_size', '2', '--data_length', '20', '--output_dir', 'tiny'], context);
    expect(code, stderr()).toBe(0);
    expect(stderr()).toContain('target encoder: SmallViT');
    const { info } = readCheckpoint(join(out, 'checkpoints', 'checkpoint-1.safetensors'));
    const recipe = trainRecipes.quickstart.flags;
    const model = jitConfig(info.config.model as string, info.config.modelOverrides);
    expect(model).toEqual(jitConfig(recipe.model, { inputSize: recipe.img_size, numClasses: recipe.class_num, ...recipe.model_overrides }));
    expect(model.inputSize / model.patchSize).toBe(4);
    expect(info.config).toMatchObject({ objective: 'pixelrepa', batchSize: 2, steps: 1, blr: recipe.blr, ema_decay1: recipe.ema_decay1, ema_decay2: recipe.ema_decay2 });
    expect(JSON.parse(readFileSync(join(out, 'flags.json'), 'utf8'))).toMatchObject({ recipe: 'quickstart', encoder: quickstartEncoderPath, data_length: 20 });
  });
});
