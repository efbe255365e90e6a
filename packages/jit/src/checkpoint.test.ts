import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { readSafetensors, readTorchCheckpoint, type RawTensor } from '@pixelrepa/io';
import { StateDictError } from '@pixelrepa/nn';
import { allclose, describeEachBackendWithFixtures, fixtureDir, loadCase, toleranceFor } from '@pixelrepa/tensor/testing';
import { JiT } from './jit.js';
import { jitConfig, jitConfigFromReference } from './config.js';
import { jitStateDict, loadJiTWeights } from './checkpoint.js';

/** Every parameter of `model` has exactly the values of `reference` under the same name, and every name is there. */
async function expectStateDict(model: JiT, reference: Map<string, RawTensor>): Promise<void> {
  const state = model.stateDict();
  expect([...state.keys()].sort()).toEqual([...reference.keys()].sort());
  for (const [name, tensor] of state) {
    const expected = reference.get(name)!;
    expect(tensor.shape, name).toEqual(expected.shape);
    expect(Array.from(await tensor.data()), name).toEqual(Array.from(expected.data as ArrayLike<number>, Number));
  }
  tf.dispose([...state.values()]);
}

describeEachBackendWithFixtures('official checkpoints', ['jit-forward', 'torch-checkpoint'], () => {
  const forward = loadCase('jit-forward');
  const config = jitConfigFromReference(forward.json.config.constructor);
  const bytes = readFileSync(join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth'));
  let leaves: Map<string, RawTensor> | undefined;
  const checkpointLeaves = () => (leaves ??= loadCase('torch-checkpoint').expected());

  it.each(['model', 'model_ema1', 'model_ema2'] as const)("loads %s from a PyTorch training checkpoint: every parameter equals the file's", async (weights) => {
    const checkpoint = readTorchCheckpoint(bytes, { select: [weights], widenHalf: true });
    const model = new JiT(config);
    loadJiTWeights(model, jitStateDict(checkpoint, weights));
    // The fixture's own flat copy of the file (bf16 widened): `model.net.*` for the training model, `<ema>.*` for an EMA.
    const prefix = weights === 'model' ? 'model.net.' : `${weights}.`;
    const reference = new Map([...checkpointLeaves()].filter(([name]) => name.startsWith(prefix)).map(([name, raw]) => [name.slice(prefix.length), raw]));
    await expectStateDict(model, reference);
    model.dispose();
  });

  it("reproduces jit-forward from the checkpoint's net.* weights", async () => {
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

  it("loads safetensors with PyTorch names: every parameter equals the file's", async () => {
    const state = readSafetensors(readFileSync(join(forward.dir, 'weights.safetensors'))).tensors;
    const model = new JiT(config);
    loadJiTWeights(model, jitStateDict(state));
    await expectStateDict(model, state);
    model.dispose();
  });

  it('names the preset a checkpoint of another size suggests', () => {
    const state = readSafetensors(readFileSync(join(forward.dir, 'weights.safetensors'))).tensors;
    const model = new JiT(jitConfig('JiT-Tiny/4'));
    let error: unknown;
    try {
      loadJiTWeights(model, state);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StateDictError);
    expect((error as Error).message).toMatch(/keys of the wrong shape/);
    expect((error as Error).message).toMatch(/its shapes suggest depth 4, width 64, patch 4; this model is JiT-Tiny\/4/);
    model.dispose();
  });

  it('says which weights a checkpoint lacks', () => {
    expect(() => jitStateDict({ model: {}, model_ema1: {} } as never, 'model_ema2')).toThrow(/no "model_ema2" \(it has model, model_ema1\)/);
  });
});
