import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@pixelrepa/tensor';
import { mtaConfig } from './config.js';
import { mtaParameterCount } from './costs.js';
import { MaskedTransformerAdapter } from './mta.js';

const zeros = { normal: (shape: number[]) => tf.zeros(shape), uniform: (shape: number[]) => tf.zeros(shape) };

describe('parameter count from the config', () => {
  beforeAll(() => initBackend('cpu'));

  it('mtaParameterCount equals the parameters of a built adapter', () => {
    const config = mtaConfig('MTA-B/16', { hiddenSize: 64, numHeads: 2, numClasses: 10, inContextLen: 4, outChannels: 32, inputSize: 16, patchSize: 4 });
    const adapter = new MaskedTransformerAdapter(config, { random: zeros });
    expect(mtaParameterCount(config)).toBe(adapter.parameterCount());
    adapter.dispose();
    expect(mtaParameterCount(mtaConfig('MTA-B/16'))).toBe(24_026_112);
  });
});
