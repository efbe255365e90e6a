import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@pixelrepa/tensor';
import { allclose, liveTensors, loadCase, nchwToNhwc, toTensor, toleranceFor, describeEachBackendWithFixtures } from '@pixelrepa/tensor/testing';
import { dinov2Config, dinov2ConfigFromTimm, dinov2Presets } from './config.js';
import { createDinoV2 } from './create.js';
import { DinoV2 } from './dinov2.js';
import { loadDinoV2Weights } from './load-weights.js';

const resampleCase = loadCase('dinov2-resample');
const tinyConfig = () => dinov2ConfigFromTimm(resampleCase.json.config.timm_model_name, resampleCase.json.config.create_model_kwargs_resampled);

async function expectClose(actual: Tensor, name: string) {
  const expected = resampleCase.expected().get(name)!;
  expect(actual.shape, name).toEqual(expected.shape);
  const report = allclose((await actual.data()) as Float32Array, expected.data as Float32Array, toleranceFor(resampleCase.json, name));
  expect(report.ok, `${name}: ${report.message}`).toBe(true);
}

describe('DINOv2 configs', () => {
  it('knows the published models (ViT-g: packed SwiGLU 8192 → 4096; reg4: 4 registers)', () => {
    expect(dinov2Config('dinov2-vitg14')).toMatchObject({
      embedDim: 1536,
      depth: 40,
      numHeads: 24,
      mlp: 'swiglu-packed',
      mlpHidden: 8192,
      imgSize: 518,
      patchSize: 14,
    });
    expect(dinov2Config('dinov2-vitl14-reg4')).toMatchObject({ embedDim: 1024, depth: 24, mlpHidden: 4096, regTokens: 4 });
    expect(dinov2Presets['dinov2-vitb14'].hub).toEqual({ timm: 'timm/vit_base_patch14_dinov2.lvd142m', hf: 'facebook/dinov2-base' });
    expect(dinov2ConfigFromTimm('vit_small_patch14_reg4_dinov2', { img_size: 224 })).toMatchObject({ embedDim: 384, regTokens: 4, imgSize: 224 });
  });

  it('refuses geometry that cannot work', () => {
    expect(() => dinov2Config('dinov2-vitb14', { imgSize: 250, patchSize: 16 })).toThrow(/imgSize 250 is not a multiple of patchSize 16; pick e.g. 256/);
    expect(() => dinov2Config('dinov2-vitx14')).toThrow(/unknown DINOv2 model "dinov2-vitx14"; known: dinov2-vits14, dinov2-vitb14/);
  });
});

describeEachBackendWithFixtures('DINOv2 encoder', ['dinov2-resample'], () => {
  it("reproduces timm's forward_features and tokens after resampling the 518/14 checkpoint to 64/16", async () => {
    const model = new DinoV2(tinyConfig());
    loadDinoV2Weights(model, resampleCase.weights());
    expect(model.gridSize).toEqual([4, 4]);
    const x = nchwToNhwc(toTensor(resampleCase.inputs().get('x')!) as tf.Tensor4D);
    const recorded = new Map<string, Tensor>();
    const features = model.forwardFeatures(x, (name, value) => recorded.set(name, tf.keep(value.clone())));
    await expectClose(features, 'forward_features');
    for (const name of ['patch_tokens', 'embed_with_pos', 'block0_out', 'block1_out']) await expectClose(recorded.get(name)!, name);
    const unit = nchwToNhwc(toTensor(resampleCase.inputs().get('x_01')!) as tf.Tensor4D);
    const images = tf.sub(tf.mul(unit, 2), 1);
    const tokens = model.encode(images);
    await expectClose(tokens, 'tokens');
    tf.dispose([x, features, unit, images, tokens, ...recorded.values()]);
    model.dispose();
  });

  it('is frozen: no trainable parameters, nothing for an optimiser', () => {
    const model = new DinoV2(tinyConfig());
    expect(model.trainableParameters()).toEqual([]);
    expect(model.namedParameters().every(([, p]) => !p.variable.trainable)).toBe(true);
    expect(model.parameterCount()).toBeGreaterThan(0);
    model.dispose();
  });

  it('leaks no tensors across encode calls', () => {
    const model = new DinoV2(tinyConfig());
    const images = tf.randomUniform([2, 48, 48, 3], -1, 1, 'float32', 3);
    tf.dispose(model.encode(images));
    const before = liveTensors();
    for (let i = 0; i < 3; i++) tf.dispose(model.encode(images));
    expect(liveTensors()).toBe(before);
    images.dispose();
    model.dispose();
  });

  it('puts cls and 4 registers in front, with positions on the patches only', () => {
    const model = createDinoV2('dinov2-vits14-reg4', { embedDim: 32, depth: 1, numHeads: 2, imgSize: 32, patchSize: 16 });
    expect(model.numPrefixTokens).toBe(5);
    expect(model.pos_embed.shape).toEqual([1, 4, 32]);
    const images = tf.zeros([1, 32, 32, 3]);
    const recorded: Record<string, Tensor> = {};
    const features = model.forwardFeatures(images, (name, value) => {
      recorded[name] ??= tf.keep(value.clone());
    });
    expect(features.shape).toEqual([1, 9, 32]);
    // Registers enter exactly as stored (no position added).
    const registers = tf.slice(recorded.embed_with_pos, [0, 1, 0], [1, 4, 32]);
    expect(Array.from(registers.dataSync())).toEqual(Array.from(model.reg_token!.value.dataSync()));
    const tokens = model.encode(tf.zeros([1, 32, 32, 3]));
    expect(tokens.shape).toEqual([1, 4, 32]);
    tf.dispose([images, features, registers, tokens, ...Object.values(recorded)]);
    model.dispose();
  });

  it("runs ViT-g's packed SwiGLU MLP", () => {
    const model = createDinoV2('dinov2-vitg14', { embedDim: 24, depth: 1, numHeads: 2, imgSize: 28, patchSize: 14 });
    const state = model.stateDict();
    expect(state.get('blocks.0.mlp.fc1.weight')!.shape).toEqual([Math.floor(24 * 2.66667 * 2), 24]);
    expect(state.get('blocks.0.mlp.fc2.weight')!.shape).toEqual([24, Math.floor(24 * 2.66667 * 2) / 2]);
    tf.dispose([...state.values()]);
    const tokens = model.encode(tf.zeros([2, 28, 28, 3]));
    expect(tokens.shape).toEqual([2, 4, 24]);
    tokens.dispose();
    model.dispose();
  });

  it('says what input it expects', () => {
    const model = new DinoV2(tinyConfig());
    const wrong = tf.zeros([1, 32, 32, 3]);
    expect(() => model.forwardFeatures(wrong)).toThrow(
      /at 64 px expects preprocessed images \[B, 64, 64, 3\] \(NHWC\), got \[1, 32, 32, 3\]; pass images in \[−1, 1\] of any size to encode\(\)/,
    );
    const nchw = tf.zeros([1, 3, 64, 64]);
    expect(() => model.encode(nchw)).toThrow(/expected images \[B, H, W, 3\] in \[−1, 1\], got \[1, 3, 64, 64\]/);
    tf.dispose([wrong, nchw]);
    model.dispose();
  });

  it('refuses weights of another width with a message naming both models', () => {
    const model = createDinoV2('dinov2-vitb14', { embedDim: 96, depth: 2, numHeads: 4, imgSize: 64, patchSize: 16 });
    expect(() => loadDinoV2Weights(model, resampleCase.weights(), { source: 'weights.safetensors' })).toThrow(
      /weights\.safetensors look like DINOv2 ViT \(embed 64\)\/14 \(embed 64, depth 2\), the encoder is DINOv2 ViT \(embed 96\)\/14 \(embed 96, depth 2\): embed 64 vs 96/,
    );
    model.dispose();
  });
});
