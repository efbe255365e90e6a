import { tf, type Tensor } from '@pixelrepa/tensor';
import { JiT, jitConfigFromReference } from '@pixelrepa/jit';
import { timestepEmbedding } from '@pixelrepa/nn';
import type { KindChecker } from '../kind.js';
import { compareAll, disposeAll, input, missingResults, weights } from '../tensors.js';

/** JiT forward / forward_encoder / forward_decoder with every recorded intermediate. */
export const checker: KindChecker = {
  kind: 'jit_forward',
  async check(fixture) {
    const model = new JiT(jitConfigFromReference(fixture.json.config.constructor));
    const state = weights(fixture);
    model.loadStateDict(state);
    disposeAll(state);
    const x = input(fixture, 'x', { nhwc: true });
    const t = input(fixture, 't');
    const y = input(fixture, 'y');
    const actual = new Map<string, Tensor>();
    const record = (name: string, value: Tensor) => {
      if (!actual.has(name) && name !== 'dec') actual.set(name, tf.keep(value.clone()));
    };
    actual.set('out', model.forward(x, t, y, { record }));
    actual.set('enc', model.forwardEncoder(x, t, y));
    actual.set('dec', model.forwardDecoder(actual.get('enc')!, t, y));
    actual.set('t_freq', timestepEmbedding(t, 256));
    actual.set('pos_embed', model.pos_embed.value.clone());
    actual.set('feat_rope.freqs_cos', model.featRope.cos.clone());
    actual.set('feat_rope.freqs_sin', model.featRope.sin.clone());
    actual.set('feat_rope_incontext.freqs_cos', model.featRopeInContext.cos.clone());
    actual.set('feat_rope_incontext.freqs_sin', model.featRopeInContext.sin.clone());
    const wanted = new Map([...actual].filter(([name]) => fixture.expected().has(name)));
    const results = await compareAll(fixture, wanted, { nchw: ['out', 'dec'] });
    disposeAll(actual);
    tf.dispose([x, t, y]);
    model.dispose();
    return [...results, ...missingResults(fixture, wanted.keys())];
  },
};
