import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { readSafetensors, readTorchCheckpoint } from '@pixelrepa/io';
import { StateDictError } from '@pixelrepa/nn';
import { allclose, describeEachBackend, fixturesRoot, loadCase, toleranceFor } from '@pixelrepa/tensor/testing';
import { JiT } from './jit.js';
import { jitConfig, jitConfigFromReference } from './config.js';
import { jitStateDict, loadJiTWeights } from './checkpoint.js';

describeEachBackend('official checkpoints', () => {
  const forward = loadCase('jit-forward');
  const config = jitConfigFromReference(forward.json.config.constructor);
  const bytes = readFileSync(join(fixturesRoot(), 'torch-checkpoint', 'checkpoint-last.pth'));

  it.each(['model', 'model_ema1', 'model_ema2'] as const)('loads %s from a PyTorch training checkpoint', (weights) => {
    const checkpoint = readTorchCheckpoint(bytes, { select: [weights], widenHalf: true });
    const model = new JiT(config);
    loadJiTWeights(model, jitStateDict(checkpoint, weights));
    model.dispose();
  });

  it('reproduces jit-forward from the checkpoint\'s net.* weights', async () => {
    const checkpoint = readTorchCheckpoint(bytes, { select: ['model'], widenHalf: true });
    const model = new JiT(config);
    loadJiTWeights(model, jitStateDict(checkpoint, 'model'));
    const inputs = forward.inputs();
    const x = tf.transpose(tf.tensor(inputs.get('x')!.data as Float32Array, inputs.get('x')!.shape), [0, 2, 3, 1]);
    const out = model.forward(x, tf.tensor1d(inputs.get('t')!.data as Float32Array), tf.tensor1d(inputs.get('y')!.data as Int32Array, 'int32'));
    const nchw = await tf.transpose(out, [0, 3, 1, 2]).data();
    const report = allclose(nchw, forward.expected().get('out')!.data as Float32Array, toleranceFor(forward.json, 'out'));
    expect(report.ok, report.message).toBe(true);
    model.dispose();
  });

  it('loads safetensors with PyTorch names', () => {
    const state = readSafetensors(readFileSync(join(forward.dir, 'weights.safetensors'))).tensors;
    const model = new JiT(config);
    loadJiTWeights(model, jitStateDict(state));
    model.dispose();
  });

  it('names the preset a checkpoint of another size suggests', () => {
    const state = readSafetensors(readFileSync(join(forward.dir, 'weights.safetensors'))).tensors;
    const model = new JiT(jitConfig('JiT-Tiny/4'));
    let error: unknown;
    try { loadJiTWeights(model, state); } catch (caught) { error = caught; }
    expect(error).toBeInstanceOf(StateDictError);
    expect((error as Error).message).toMatch(/keys of the wrong shape/);
    expect((error as Error).message).toMatch(/its shapes suggest depth 4, width 64, patch 4; this model is JiT-Tiny\/4/);
    model.dispose();
  });

  it('says which weights a checkpoint lacks', () => {
    expect(() => jitStateDict({ model: {}, model_ema1: {} } as never, 'model_ema2')).toThrow(/no "model_ema2" \(it has model, model_ema1\)/);
  });
});
