import { tf, type Tensor } from '@pixelrepa/tensor';
import { JiT, jitConfigFromReference, sample, type SamplingMethod } from '@pixelrepa/jit';
import type { KindChecker } from '../kind.js';
import type { FixtureCase } from '@pixelrepa/tensor/testing';
import { compareAll, disposeAll, input, missingResults, weights } from '../tensors.js';

const imageNames = /^(final|z_step_\d+|v_step_\d+|fs_\d+\.(v|x_cond|x_uncond))$/;

/** Denoiser.generate: every step and every guided-velocity call of the sampler. */
async function checkSampling(fixture: FixtureCase) {
  const config = fixture.json.config;
  const model = new JiT(jitConfigFromReference(config.jit.constructor));
  const state = weights(fixture);
  model.loadStateDict(state);
  disposeAll(state);
  const labels = input(fixture, 'labels');
  const noise = input(fixture, 'z0', { nhwc: true });
  const actual = new Map<string, Tensor>();
  const final = sample(model, {
    labels,
    noise,
    steps: config.num_sampling_steps,
    method: config.sampling_method as SamplingMethod,
    cfg: config.cfg,
    interval: config.cfg_interval,
    noiseScale: config.noise_scale,
    tEps: config.t_eps,
    record: (name, value) => actual.set(name, tf.keep(value.clone())),
  });
  actual.set('final', final);
  const wanted = new Map([...actual].filter(([name]) => fixture.expected().has(name)));
  const nchw = [...wanted.keys()].filter((name) => imageNames.test(name));
  const results = await compareAll(fixture, wanted, { nchw });
  disposeAll(actual);
  tf.dispose([labels, noise]);
  model.dispose();
  return [...results, ...missingResults(fixture, wanted.keys())];
}

export const checker: KindChecker = { kind: 'sample_heun', check: checkSampling };
export const eulerChecker: KindChecker = { kind: 'sample_euler', check: checkSampling };
