// Shared by the dinov2-resample and dinov2-hf-names kinds (not a kind itself: not in the registry).
import { tf, type Tensor } from '@pixelrepa/tensor';
import { DinoV2, antialiasedBicubicWeights, dinov2ConfigFromTimm, loadDinoV2Weights, piResizeMatrix, resampleAbsPosEmbed } from '@pixelrepa/encoders';
import type { FixtureCase } from '@pixelrepa/tensor/testing';
import type { TensorResult } from '../kind.js';
import { compareAll, disposeAll, input } from '../tensors.js';

/** Runs a dinov2-resample case with `checkpoint` (default: its weights.safetensors); also used by dinov2-hf-names. */
export async function checkDinoV2Resample(fixture: FixtureCase, checkpoint = fixture.weights(), source = 'weights.safetensors'): Promise<TensorResult[]> {
  const { config } = fixture.json;
  const model = new DinoV2(dinov2ConfigFromTimm(config.timm_model_name, config.create_model_kwargs_resampled));
  const actual = new Map<string, Tensor>();
  try {
    loadDinoV2Weights(model, checkpoint, { source });
    const state = model.stateDict();
    actual.set('patch_embed_proj_weight_resampled', state.get('patch_embed.proj.weight')!);
    actual.set('pos_embed_resampled', state.get('pos_embed')!);
    disposeAll(new Map([...state].filter(([name]) => name !== 'patch_embed.proj.weight' && name !== 'pos_embed')));

    const x = input(fixture, 'x', { nhwc: true });
    const record = (name: string, value: Tensor) => actual.set(name, tf.keep(value.clone()));
    actual.set('forward_features', model.forwardFeatures(x, record));
    x.dispose();
    if (fixture.inputs().has('x_01')) {
      // The encoder's own path: images in [−1, 1] → ImageNet normalisation → tokens.
      const unit = input(fixture, 'x_01', { nhwc: true });
      const images = tf.sub(tf.mul(unit, 2), 1);
      actual.set('tokens', model.encode(images));
      tf.dispose([unit, images]);
    } else {
      actual.set('tokens', tf.slice(actual.get('forward_features')!, [0, model.numPrefixTokens, 0], [-1, -1, -1]));
    }
    for (const [name, value] of resampleHelpers(fixture, model)) actual.set(name, value);
    const wanted = new Map([...actual].filter(([name]) => fixture.expected().has(name)));
    return await compareAll(fixture, wanted);
  } finally {
    disposeAll(actual);
    model.dispose();
  }
}

/** The standalone resample pieces the case pins, sized from the checkpoint, the model and each expected shape. */
function resampleHelpers(fixture: FixtureCase, model: DinoV2): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  const original = fixture.weights();
  const kernel = original.get('patch_embed.proj.weight')!;
  const pos = original.get('pos_embed')!;
  const posPrefix = model.config.regTokens > 0 ? 0 : 1;
  const [oh, ow] = kernel.shape.slice(2);
  const p = model.patchSize;
  for (const [name, expected] of fixture.expected()) {
    if (name === 'pi_resize_matrix') {
      out.set(name, tf.tensor2d(Float32Array.from(piResizeMatrix([oh, ow], [p, p])), [p * p, oh * ow]));
    } else if (/^interp_.*_1d$/.test(name)) {
      const [to, from] = expected.shape;
      out.set(name, tf.tensor2d(Float32Array.from(antialiasedBicubicWeights(from, to)), [to, from]));
    } else if (name.startsWith('pos_embed_resampled_grid')) {
      const side = Math.round(Math.sqrt(expected.shape[1] - posPrefix));
      const resized = resampleAbsPosEmbed({ data: pos.data as Float32Array, shape: pos.shape }, { newSize: [side, side], numPrefixTokens: posPrefix });
      out.set(name, tf.tensor(resized.data, resized.shape));
    }
  }
  return out;
}
