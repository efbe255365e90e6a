import { tf, type Tensor } from '@pixelrepa/tensor';
import { MaskedTransformerAdapter, mtaConfigFromReference } from '@pixelrepa/adapter';
import type { KindChecker } from '../kind.js';
import { compareAll, disposeAll, input, missingResults, weights } from '../tensors.js';

/** The Masked Transformer Adapter's forward on encoder tokens, with each block's output. */
export const checker: KindChecker = {
  kind: 'mta_forward',
  async check(fixture) {
    const mta = new MaskedTransformerAdapter(mtaConfigFromReference(fixture.json.config.constructor));
    const state = weights(fixture);
    mta.loadStateDict(state);
    disposeAll(state);
    const [x, t, y] = ['x', 't', 'y'].map((name) => input(fixture, name));
    const actual = new Map<string, Tensor>();
    actual.set('out', mta.forward(x, t, y, { record: (name, value) => actual.set(name, tf.keep(value.clone())) }));
    const wanted = new Map([...actual].filter(([name]) => fixture.expected().has(name)));
    const results = await compareAll(fixture, wanted);
    disposeAll(actual);
    tf.dispose([x, t, y]);
    mta.dispose();
    return [...results, ...missingResults(fixture, wanted.keys())];
  },
};
