import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { tf, type Tensor } from '@pixelrepa/tensor';
import { writeSafetensors, type RawTensor } from '@pixelrepa/io';
import { StateDictError, tensorStateDict, type RandomSource } from '@pixelrepa/nn';
import {
  allclose,
  describeEachBackend,
  liveTensors,
  loadCase,
  toleranceFor,
  describeEachBackendWithFixtures,
  itWithFixtures,
  fixtureDir,
} from '@pixelrepa/tensor/testing';
import { FidInceptionV3, INCEPTION_FEATURES, type InceptionFeature } from './fid-inception-v3.js';
import { loadFidInceptionV3, readFidInceptionWeights } from './weights.js';

const fixture = loadCase('inception-fid-forward');

/** Weights that cost nothing to make: every test here loads the fixture's anyway. */
const zeros: RandomSource = { normal: (shape) => tf.zeros(shape), uniform: (shape) => tf.zeros(shape) };

/** The first `count` of the fixture's uint8 NCHW images as an int32 NHWC tensor. */
function images(count = 2): Tensor {
  const raw = fixture.inputs().get('images')!;
  return tf.tidy(() => tf.transpose(tf.tensor(Int32Array.from(raw.data as Uint8Array), raw.shape, 'int32'), [0, 2, 3, 1]).slice(0, count));
}

/** Compares the first rows of expected tensor `name` (all of it when the batch is complete). */
async function expectClose(name: string, actual: Tensor): Promise<void> {
  const values = await actual.data();
  const expected = (fixture.expected().get(name)!.data as Float32Array).subarray(0, values.length);
  const report = allclose(values, expected, toleranceFor(fixture.json, name));
  expect(report.ok, `${name}: ${report.message}`).toBe(true);
}

function loadedNetwork(): FidInceptionV3 {
  const net = new FidInceptionV3({ random: zeros });
  const state = tensorStateDict(fixture.weights());
  net.loadStateDict(state);
  tf.dispose([...state.values()]);
  return net;
}

describeEachBackendWithFixtures('FID Inception network', ['inception-fid-forward'], (backend) => {
  let net: FidInceptionV3;
  beforeAll(() => {
    net = loadedNetwork();
  });
  afterAll(() => net.dispose());

  // The cpu backend runs ~0.5 GFLOP/s: there the test takes one image and stops at feature '192'
  // (npm run check-fixtures runs the whole case on cpu).
  const features: InceptionFeature[] = backend === 'cpu' ? ['64', '192'] : [...INCEPTION_FEATURES];
  const count = backend === 'cpu' ? 1 : 2;

  it(`matches torch-fidelity's resize and features ${features.join(', ')} within the fixture tolerances, leaving no tensors behind`, async () => {
    const x = images(count);
    let resized: Tensor | undefined;
    const before = liveTensors();
    const out = net.forward(x, {
      features,
      record: (_, value) => {
        resized = tf.keep(tf.transpose(value, [0, 3, 1, 2]));
      },
    });
    expect(liveTensors()).toBe(before + features.length + 1);
    await expectClose('resized', resized!);
    for (const name of features) await expectClose(`feat_${name}`, out[name]!);
    tf.dispose([x, resized!, ...Object.values(out)]);
  });

  it('refuses images that are not [B, H, W, 3]', () => {
    const gray = tf.zeros([1, 8, 8, 1], 'int32');
    expect(() => net.forward(gray)).toThrow(/RGB images \[B, H, W, 3\].*\[1, 8, 8, 1\]/);
    gray.dispose();
  });
});

// Not numeric: one backend is enough.
describeEachBackend(
  'FID Inception weights',
  () => {
    itWithFixtures('saves and reloads its state dict under torch-fidelity names in PyTorch layout', ['inception-fid-forward'], async () => {
      const net = loadedNetwork();
      const state = net.stateDict();
      expect(state.size).toBe(fixture.json.config.weights_num_tensors);
      expect(state.get('Conv2d_1a_3x3.conv.weight')!.shape).toEqual([32, 3, 3, 3]);
      expect(state.get('Mixed_6b.branch7x7_2.conv.weight')!.shape).toEqual([128, 128, 1, 7]);
      expect(state.get('fc.weight')!.shape).toEqual([1008, 2048]);
      const raw = new Map<string, RawTensor>();
      for (const [name, tensor] of state) raw.set(name, { dtype: 'F32', shape: tensor.shape, data: (await tensor.data()) as Float32Array });
      const reloaded = await loadFidInceptionV3({ bytes: writeSafetensors(raw) });
      const a = (await net.Mixed_7c.branch_pool.conv.weight.value.data()) as Float32Array;
      const b = (await reloaded.Mixed_7c.branch_pool.conv.weight.value.data()) as Float32Array;
      expect(b).toEqual(a);
      tf.dispose([...state.values()]);
      net.dispose();
      reloaded.dispose();
    });

    itWithFixtures('ignores num_batches_tracked buffers, which the original .pth carries', ['inception-fid-forward'], () => {
      const net = new FidInceptionV3({ random: zeros });
      const state = tensorStateDict(fixture.weights());
      state.set('Conv2d_1a_3x3.bn.num_batches_tracked', tf.scalar(0, 'int32'));
      expect(() => net.loadStateDict(state)).not.toThrow();
      tf.dispose([...state.values()]);
      net.dispose();
    });

    itWithFixtures('reads a torch.save zip through the restricted unpickler and says when it is not the Inception', ['torch-checkpoint'], () => {
      const pth = readFileSync(join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth'));
      const raw = readFidInceptionWeights(pth);
      expect([...raw.keys()].some((name) => name.startsWith('model.'))).toBe(true);
      const net = new FidInceptionV3({ random: zeros });
      const state = tensorStateDict(raw);
      expect(() => net.loadStateDict(state)).toThrow(StateDictError);
      expect(() => net.loadStateDict(state)).toThrow(/weights-inception-2015-12-05-6726825d\.pth/);
      tf.dispose([...state.values()]);
      net.dispose();
    });

    it('explains legacy torch.save files and unknown bytes', () => {
      expect(() => readFidInceptionWeights(new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0, 0, 0, 0, 0, 0]))).toThrow(/legacy format.*torch ≥ 1\.6.*safetensors/);
      expect(() => readFidInceptionWeights(new Uint8Array(16))).toThrow(/neither/);
    });

    it('checks a resolved download against the hash in its name', async () => {
      const resolve = async () => new Uint8Array([1, 2, 3]);
      await expect(loadFidInceptionV3({ resolve })).rejects.toThrow(/does not start with 6726825d/);
      await expect(loadFidInceptionV3({})).rejects.toThrow(/pass \{ bytes \}, \{ path \} or a \{ resolve \}/);
    });
  },
  ['wasm'],
);
