import { tf, type Tensor } from '@pixelrepa/tensor';
import { valueAndGrads } from '@pixelrepa/nn';
import { RepaObjective } from '@pixelrepa/align';
import type { KindChecker } from '../kind.js';
import { compareAll, disposeAll, input, missingResults, weights } from '../tensors.js';

/** REPA's projector and projection loss, with gradients for the projector and for h. */
export const checker: KindChecker = {
  kind: 'repa_projection_loss',
  async check(fixture) {
    const args = fixture.json.config.projector.args;
    const objective = new RepaObjective({ hiddenSize: args.hidden_size, projectorDim: args.projector_dim, targetSize: args.z_dim });
    // The fixture names the projector's own keys (`0.weight`); ours live under `projectors.0.`.
    const state = new Map([...weights(fixture)].map(([name, value]) => [`projectors.0.${name}`, value]));
    objective.loadStateDict(state);
    disposeAll(state);
    const h = tf.variable(input(fixture, 'h'));
    const target = input(fixture, 'z_target');
    const actual = new Map<string, Tensor>();
    const parameters = objective.trainableParameters();
    const { value, grads } = valueAndGrads(() => {
      const { loss, parts } = objective.compute({ tokens: h, target });
      actual.set('zs_tilde', tf.keep(parts.projected.clone()));
      return loss;
    }, parameters);
    const hGrad = tf.grad((tokens: Tensor) => objective.compute({ tokens, target }).loss)(h);
    actual.set('proj_loss', value);
    actual.set('grad.h', hGrad);
    const byName = new Map(parameters);
    for (const [name, grad] of grads) {
      actual.set(`grad.${name.replace(/^projectors\.0\./, '')}`, byName.get(name)!.layout.toTorch(grad));
      grad.dispose();
    }
    const results = await compareAll(fixture, actual);
    disposeAll(actual);
    tf.dispose([h, target]);
    objective.dispose();
    return [...results, ...missingResults(fixture, actual.keys())];
  },
};
