import { tf, type Tensor } from '@pixelrepa/tensor';
import { FidInceptionV3, INCEPTION_FEATURES } from '@pixelrepa/metrics';
import type { KindChecker } from '../kind.js';
import { compareAll, disposeAll, input, missingResults, weights } from '../tensors.js';

/** torch-fidelity's FID Inception: TF1 resize to 299, then features 64/192/768/2048 and both logits. */
export const checker: KindChecker = {
  kind: 'inception-fid-forward',
  async check(fixture) {
    const net = new FidInceptionV3();
    const state = weights(fixture);
    net.loadStateDict(state);
    disposeAll(state);
    const images = input(fixture, 'images', { nhwc: true });
    const actual = new Map<string, Tensor>();
    const features = net.forward(images, {
      features: INCEPTION_FEATURES,
      record: (name, value) => actual.set(name, tf.keep(value.clone())),
    });
    for (const [name, value] of Object.entries(features)) actual.set(`feat_${name}`, value!);
    const results = await compareAll(fixture, actual, { nchw: ['resized'] });
    disposeAll(actual);
    images.dispose();
    net.dispose();
    return [...results, ...missingResults(fixture, actual.keys())];
  },
};
