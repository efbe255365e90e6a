import { describe, expect, it } from 'vitest';
import { writeSafetensors, type RawTensor } from '@pixelrepa/io';
import type { CheckpointInfo } from '@pixelrepa/train/node';
import { readPageCheckpoint } from '../src/checkpoint.ts';
import { checkGridSettings, gridLabels } from '../src/grid.ts';
import { pageWeights } from '../scripts/page-weights.ts';
import { testModel } from './support/random-checkpoint.ts';

const tensor = (value: number): RawTensor => ({ dtype: 'F32', shape: [2], data: Float32Array.of(value, value) });
const trainingConfig = { model: 'JiT-Tiny/4', modelOverrides: { numClasses: 3 }, noise_scale: 2, t_eps: 0.1 };
const trainingTensors = new Map([
  ['model.net.pos_embed', tensor(1)],
  ['model_ema1.pos_embed', tensor(2)],
  ['model_ema2.pos_embed', tensor(3)],
  ['optimizer.exp_avg.pos_embed', tensor(4)],
]);
const info = { format: 'pixelrepa-checkpoint', version: 1, step: 400, config: trainingConfig } as unknown as CheckpointInfo;

describe('the checkpoints the page reads', () => {
  it('takes the EMA weights and the model from a training checkpoint', async () => {
    const bytes = writeSafetensors(trainingTensors, { pixelrepa: JSON.stringify(info) });
    const checkpoint = await readPageCheckpoint(bytes);
    expect([...checkpoint.state.keys()]).toEqual(['pos_embed']);
    expect(Array.from(checkpoint.state.get('pos_embed')!.data as Float32Array)).toEqual([2, 2]);
    expect(checkpoint.config).toMatchObject({ inputSize: 32, patchSize: 4, numClasses: 3 });
    expect(checkpoint).toMatchObject({ noiseScale: 2, tEps: 0.1, description: 'training checkpoint, step 400, model_ema1 weights' });
  });

  it('exports exactly what it would read from the training checkpoint', async () => {
    const exported = pageWeights({ info, tensors: trainingTensors }, 'checkpoint.safetensors');
    expect(exported.description).toEqual(trainingConfig);
    const checkpoint = await readPageCheckpoint(writeSafetensors(exported.tensors, exported.metadata), async () => exported.description);
    const direct = await readPageCheckpoint(writeSafetensors(trainingTensors, { pixelrepa: JSON.stringify(info) }));
    expect(checkpoint.config).toEqual(direct.config);
    expect(checkpoint.state).toEqual(direct.state);
  });

  it('asks for a model description for plain JiT weights', async () => {
    await expect(readPageCheckpoint(writeSafetensors(new Map([['pos_embed', tensor(1)]])))).rejects.toThrow(
      /no "pixelrepa" metadata.*\?config=.*export-checkpoint/,
    );
  });

  it('names an unknown preset in a model description', async () => {
    await expect(readPageCheckpoint(writeSafetensors(new Map([['pos_embed', tensor(1)]])), async () => ({ model: 'JiT-X/3' }))).rejects.toThrow(
      /unknown JiT preset "JiT-X\/3"/,
    );
  });
});

describe('grid settings', () => {
  it('puts one class on each row', () => {
    expect(gridLabels({ classes: [3, 0], perClass: 2 })).toEqual([3, 3, 0, 0]);
  });

  it('says what is wrong with the settings', () => {
    const numClasses = testModel.modelOverrides!.numClasses!;
    expect(() => checkGridSettings({ classes: [1, 4], perClass: 0, steps: 4, method: 'heun', cfg: 1, seed: 0 }, numClasses)).toThrow(
      'class 4 outside 0…3 (this model has 4); images per class must be a positive integer, got 0',
    );
  });
});
