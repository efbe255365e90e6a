// pixelrepa convert --to pth: a run of ours as the official training checkpoint, read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { readTorchCheckpoint, type RawTensor } from '@pixelrepa/io';
import { readTorchCheckpointFile } from '@pixelrepa/io/node';
import { initBackend, tf } from '@pixelrepa/tensor';
import { fixturePath, itWithFixtures } from '@pixelrepa/tensor/testing';
import { adamwMoment, buildTrainingModules, loadTorchAdamW } from '@pixelrepa/train';
import { readCheckpoint } from '@pixelrepa/train/node';
import { runCli } from '../cli.js';
import { bufferContext, tinyModelFlags, writeTinyEncoder } from '../test-support/harness.js';

describe('pixelrepa convert --to pth', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-pth-'));
    await writeTinyEncoder(join(dir, 'encoder.safetensors'));
    const { context, stderr } = bufferContext(dir);
    const code = await runCli(['train', '--backend', 'cpu', ...tinyModelFlags, '--encoder', join(dir, 'encoder.safetensors'), '--data', 'procedural', '--data_length', '8', '--batch_size', '4', '--steps', '2', '--warmup_epochs', '0', '--output_dir', join(dir, 'run')], context);
    if (code !== 0) throw new Error(stderr());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itWithFixtures('writes model, both EMAs, torch AdamW state, epoch and args that read back exactly, in the fixture\'s optimizer layout', ['torch-checkpoint'], async () => {
    const out = join(dir, 'official', 'checkpoint-last.pth');
    const { context, stderr } = bufferContext(dir);
    expect(await runCli(['convert', join(dir, 'run'), out, '--to', 'pth', '--epoch', '4'], context), stderr()).toBe(0);
    const { info, tensors, optimizerStep } = readCheckpoint(join(dir, 'run', 'checkpoints', 'checkpoint-2.safetensors'));
    const written = readTorchCheckpoint(readFileSync(out)) as Record<string, any>;
    expect(Object.keys(written).sort()).toEqual(['args', 'epoch', 'model', 'model_ema1', 'model_ema2', 'optimizer']);
    expect(written.epoch).toBe(4);
    for (const [key, tensor] of tensors) {
      const [top, ...rest] = key.split('.');
      if (top === 'optimizer') continue;
      expect(top === 'model' ? written.model[rest.join('.')] : written[top][rest.join('.')], key).toEqual(tensor);
    }
    expect(written.model['scale.std'].shape).toEqual([1, 3, 1, 1]);

    // The optimizer has the keys and value types of the official fixture's torch AdamW.
    const fixture = readTorchCheckpointFile(fixturePath('torch-checkpoint', 'checkpoint-last.pth'), { select: ['optimizer'] }).optimizer as Record<string, any>;
    const [, fixtureEntry] = [...fixture.state][0];
    const [index, entry] = [...(written.optimizer.state as Map<number, Record<string, RawTensor>>)][0];
    expect(typeof index).toBe('number');
    expect(Object.keys(entry).sort()).toEqual(Object.keys(fixtureEntry).sort());
    expect(entry.step).toEqual({ dtype: 'F32', shape: [], data: Float32Array.of(optimizerStep) });
    expect(written.optimizer.param_groups).toHaveLength(2);
    for (const group of written.optimizer.param_groups) {
      for (const [key, value] of Object.entries(fixture.param_groups[0])) if (key !== 'params') expect(typeof group[key], key).toBe(typeof value);
    }
    expect(written.optimizer.param_groups[0].betas).toEqual(info.config.betas);

    // Our torch-AdamW importer (the reverse path) puts every moment back on its parameter.
    const modules = buildTrainingModules(info.config, { targetWidth: info.extra.targetWidth as number });
    try {
      const imported = loadTorchAdamW(modules.optimizer, modules.parameters, written.optimizer);
      expect(imported).toMatchObject({ step: optimizerStep, loaded: modules.parameters.length, unmatched: 0, zero: 0 });
      for (const { name, parameter } of modules.parameters) {
        const moment = adamwMoment(modules.optimizer, 'expAvgSq', name);
        const torchLayout = parameter.layout.toTorch(moment);
        expect(Array.from(await torchLayout.data()), name).toEqual(Array.from(tensors.get(`optimizer.exp_avg_sq.${name}`)!.data as Float32Array));
        tf.dispose([moment, torchLayout]);
      }
    } finally {
      modules.dispose();
    }
  });

  itWithFixtures('refuses what is not a checkpoint of ours, and a wrong extension', ['torch-checkpoint'], async () => {
    const pth = fixturePath('torch-checkpoint', 'checkpoint-last.pth');
    const official = bufferContext(dir);
    expect(await runCli(['convert', pth, join(dir, 'x.pth'), '--to', 'pth'], official.context)).toBe(2);
    expect(official.stderr()).toContain('is not a checkpoint of pixelrepa train');
    const extension = bufferContext(dir);
    expect(await runCli(['convert', join(dir, 'run'), join(dir, 'x.safetensors'), '--to', 'pth'], extension.context)).toBe(2);
    expect(extension.stderr()).toContain('should end in .pth');
  });
});
