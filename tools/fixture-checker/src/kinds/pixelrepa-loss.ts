import { tf, type Tensor } from '@pixelrepa/tensor';
import { valueAndGrads } from '@pixelrepa/nn';
import { flowStep, velocityLoss } from '@pixelrepa/jit';
import { preprocessForEncoder } from '@pixelrepa/encoders';
import type { KindChecker } from '../kind.js';
import { loadDenoiser } from '../denoiser.js';
import { compareTensor } from '../compare.js';
import { compareAll, disposeAll, input, missingResults } from '../tensors.js';

const imageNames = ['e_scaled', 'z', 'v', 'v_pred', 'x_pred', 'repa_x'];

/**
 * One PixelREPA training loss with the reference's random draws supplied: JiT v-loss + 0.1 · MTA
 * alignment, and the gradient of the total for every trainable parameter of JiT and the adapter.
 */
export const checker: KindChecker = {
  kind: 'pixelrepa_training_loss',
  async check(fixture) {
    const config = fixture.json.config;
    const d = config.denoiser;
    const { jit, adapter, objective, flow } = loadDenoiser(fixture);

    const x = input(fixture, 'x', { nhwc: true });
    const labels = input(fixture, 'labels');
    const draws = { dropU: input(fixture, 'drop_u'), tNormal: input(fixture, 't_normal'), e: input(fixture, 'e', { nhwc: true }) };
    const zDino = input(fixture, 'z_dino');
    const grid = input(fixture, 'noise_grid');
    const maskNoise = tf.reshape(grid, [grid.shape[0], -1]);

    const actual = new Map<string, Tensor>();
    const keep = (name: string, value: Tensor) => actual.set(name, tf.keep(value.clone()));
    const parameters = [
      ...jit.trainableParameters().map(([n, p]) => [`net.${n}`, p] as [string, typeof p]),
      ...adapter.trainableParameters().map(([n, p]) => [`mta.${n}`, p] as [string, typeof p]),
    ];
    const { value, grads } = valueAndGrads(() => {
      const step = flowStep(x, labels, draws, flow);
      const h = jit.forwardEncoder(step.z, step.t, step.labels);
      const xPred = jit.forwardDecoder(h, step.t, step.labels);
      const { loss: lossJit, vPred } = velocityLoss(xPred, step, flow.tEps);
      const align = objective.compute({ tokens: h, target: zDino, t: step.t, y: step.labels, maskNoise });
      const total = tf.add(lossJit, tf.mul(align.loss, objective.weight));
      keep('z', step.z);
      keep('v', step.v);
      keep('e_scaled', tf.mul(draws.e, flow.noiseScale));
      keep('x_encoded', h);
      keep('x_pred', xPred);
      keep('v_pred', vPred);
      keep('loss_jit', lossJit);
      keep('loss_mta', align.loss);
      keep('x_encoded_masked', align.parts.masked);
      keep('mta_out', align.parts.adapted);
      keep('cos_sim', align.parts.cosSim);
      keep('labels_dropped', step.labels);
      keep('t', step.t);
      return total;
    }, parameters);
    actual.set('loss_total', value);
    actual.set(
      'mask_patch',
      tf.tidy(() => tf.cast(tf.greater(tf.reshape(maskNoise, [maskNoise.shape[0], -1, 1]), d.patch_mask_ratio), 'float32')),
    );
    actual.set('repa_x', preprocessForEncoder(x, { size: d.repa_image_size }));
    // Gradients in PyTorch layout (the patch conv is stored as a matmul weight here).
    const byName = new Map(parameters);
    for (const [name, grad] of grads) {
      actual.set(`grad.${name}`, byName.get(name)!.layout.toTorch(grad));
      grad.dispose();
    }

    // labels_dropped and t are inputs of the fixture (computed by the reference): compare them too.
    const inputsToCheck = new Map([
      ['labels_dropped', actual.get('labels_dropped')!],
      ['t', actual.get('t')!],
    ]);
    actual.delete('labels_dropped');
    actual.delete('t');
    const wanted = new Map([...actual].filter(([name]) => fixture.expected().has(name)));
    const results = await compareAll(fixture, wanted, { nchw: imageNames });
    for (const [name, tensor] of inputsToCheck) {
      results.push(
        compareTensor(
          fixture.json,
          `input ${name}`,
          (await tensor.data()) as Float32Array,
          fixture.inputs().get(name)!,
          name === 't' ? { atol: 1e-7, rtol: 1e-6 } : undefined,
        ),
      );
    }
    disposeAll(actual);
    disposeAll(inputsToCheck);
    tf.dispose([x, labels, draws.dropU, draws.tNormal, draws.e, zDino, grid, maskNoise]);
    objective.dispose();
    jit.dispose();
    return [...results, ...missingResults(fixture, wanted.keys())];
  },
};
