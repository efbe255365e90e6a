import { describe, expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { JiT } from './jit.js';
import { jitConfig, jitParameterCount, jitPresets, type JiTConfig } from './config.js';
import { patchify, unpatchify } from './patch.js';

const tiny: JiTConfig = jitConfig('JiT-Tiny/4', { depth: 4, hiddenSize: 64, numHeads: 4, bottleneckDim: 16, inContextLen: 4, inContextStart: 2 });

describe('presets', () => {
  it.each([
    ['JiT-B/16', 131e6],
    ['JiT-L/16', 459e6],
    ['JiT-H/16', 953e6],
    ['JiT-G/16', 2e9],
  ])("%s has the paper's parameter count within 1%%", (name, expected) => {
    const count = jitParameterCount(jitPresets[name as keyof typeof jitPresets]);
    expect(Math.abs(count - expected) / expected).toBeLessThan(0.01);
  });

  it('rejects unknown presets and impossible configs', () => {
    expect(() => jitConfig('JiT-X/16')).toThrow(/unknown JiT preset "JiT-X\/16"; known presets: JiT-B\/16/);
    expect(() => new JiT({ ...tiny, inputSize: 30 })).toThrow(/inputSize 30 is not divisible by patchSize 4/);
    expect(() => new JiT({ ...tiny, numHeads: 3 })).toThrow(/not divisible by numHeads 3/);
  });
});

describeEachBackend('JiT', () => {
  it('patchify and unpatchify are inverse', async () => {
    const images = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3);
    const patches = patchify(images, 4);
    expect(patches.shape).toEqual([2, 4, 48]);
    const back = unpatchify(patches, 4, 3);
    expect(Array.from(await back.data())).toEqual(Array.from(await images.data()));
    tf.dispose([images, patches, back]);
  });

  it('a fresh model predicts zeros (adaLN-Zero and zeroed output layer)', async () => {
    const model = new JiT(tiny);
    const z = tf.randomNormal([2, 32, 32, 3]);
    const out = model.forward(z, tf.tensor1d([0.3, 0.9]), tf.tensor1d([1, 10], 'int32'));
    expect(out.shape).toEqual([2, 32, 32, 3]);
    expect(Math.max(...Array.from(await tf.abs(out).data()))).toBe(0);
    model.dispose();
  });

  it('forward equals forwardDecoder(forwardEncoder) and leaks no tensors', async () => {
    const model = new JiT(tiny);
    // Give the zero-initialised layers some weights so the check is not trivial.
    for (const [, p] of model.trainableParameters()) p.assign(tf.randomNormal(p.shape, 0, 0.1, 'float32', 7));
    const z = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5);
    const t = tf.tensor1d([0.2, 0.7]);
    const y = tf.tensor1d([3, 10], 'int32');
    const warm = model.forward(z, t, y);
    warm.dispose();
    const before = liveTensors();
    for (let i = 0; i < 3; i++) tf.dispose(model.forward(z, t, y));
    expect(liveTensors()).toBe(before);
    const out = model.forward(z, t, y);
    const h = model.forwardEncoder(z, t, y);
    expect(h.shape).toEqual([2, 64, 64]);
    const dec = model.forwardDecoder(h, t, y);
    const a = await out.data();
    const b = await dec.data();
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-6);
    expect(Math.max(...Array.from(a).map(Math.abs))).toBeGreaterThan(0);
    tf.dispose([out, h, dec, z, t, y]);
    model.dispose();
  });

  it('rejects bad inputs before any compute', () => {
    const model = new JiT(tiny);
    const t = tf.tensor1d([0.5]);
    const y = tf.tensor1d([1], 'int32');
    const good = tf.zeros([1, 32, 32, 3]);
    const nchw = tf.zeros([1, 3, 32, 32]);
    const odd = tf.zeros([1, 30, 30, 3]);
    const rank3 = tf.zeros([32, 32, 3]);
    const [tooBig, negative, floatLabels] = [tf.tensor1d([11], 'int32'), tf.tensor1d([-1], 'int32'), tf.tensor1d([1])];
    const twoTimes = tf.tensor1d([0.1, 0.2]);
    const before = liveTensors();
    expect(() => model.forward(nchw, t, y)).toThrow(/got 32 channels .* looks like NCHW/);
    expect(() => model.forward(odd, t, y)).toThrow(/image size 30×30 is not divisible by the patch size 4/);
    expect(() => model.forward(rank3, t, y)).toThrow(/expected images as \[B, H, W, C\]/);
    expect(() => model.forward(good, t, tooBig)).toThrow(/label 11 at index 0 is outside \[0, 10\]/);
    expect(() => model.forward(good, t, negative)).toThrow(/outside/);
    expect(() => model.forward(good, twoTimes, y)).toThrow(/expected t as \[1\]/);
    expect(() => model.forward(good, t, floatLabels)).toThrow(/labels must be int32/);
    expect(liveTensors()).toBe(before);
    tf.dispose([t, y, good, nchw, odd, rank3, tooBig, negative, floatLabels, twoTimes]);
    model.dispose();
  });

  it('counts parameters exactly as the built model has them', () => {
    const model = new JiT(tiny);
    expect(model.parameterCount({ trainableOnly: true })).toBe(jitParameterCount(tiny));
    model.dispose();
  });

  it('drops out only in the middle half of the blocks when training', () => {
    const model = new JiT({ ...tiny, depth: 8, inContextStart: 2, attnDrop: 0.2, projDrop: 0.2 });
    const rates = model.blocks.map((b) => b.attn.config.attnDrop);
    expect(rates).toEqual([0, 0, 0.2, 0.2, 0.2, 0.2, 0, 0]);
    model.dispose();
  });
});

describe('cost', () => {
  it('JiT-B/16 costs about 25 GMACs per image at 256 px, as the paper reports', async () => {
    const { jitForwardMacs } = await import('./config.js');
    expect(jitForwardMacs(jitPresets['JiT-B/16']) / 1e9).toBeCloseTo(25, 0);
    expect(jitForwardMacs(jitPresets['JiT-L/16']) / 1e9).toBeGreaterThan(85);
    expect(jitForwardMacs(jitPresets['JiT-L/16']) / 1e9).toBeLessThan(91);
  });
});
