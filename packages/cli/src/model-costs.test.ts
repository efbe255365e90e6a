import { beforeAll, describe, expect, it } from 'vitest';
import { MaskedTransformerAdapter, mtaConfig } from '@pixelrepa/adapter';
import { createDinoV2, dinov2Config } from '@pixelrepa/encoders';
import { initBackend, tf } from '@pixelrepa/tensor';
import { dinov2ParameterCount, mtaParameterCount } from './model-costs.js';

const zeros = { normal: (shape: number[]) => tf.zeros(shape), uniform: (shape: number[]) => tf.zeros(shape) };

describe('parameter counts from configs', () => {
  beforeAll(() => initBackend('cpu'));

  it('mtaParameterCount equals the parameters of a built adapter', () => {
    const config = mtaConfig('MTA-B/16', { hiddenSize: 64, numHeads: 2, numClasses: 10, inContextLen: 4, outChannels: 32, inputSize: 16, patchSize: 4 });
    const adapter = new MaskedTransformerAdapter(config, { random: zeros });
    expect(mtaParameterCount(config)).toBe(adapter.parameterCount());
    adapter.dispose();
    expect(mtaParameterCount(mtaConfig('MTA-B/16'))).toBe(24_026_112);
  });

  it.each([false, true])('dinov2ParameterCount equals the parameters of a built DINOv2 (registers: %s)', (registers) => {
    const name = registers ? 'dinov2-vits14-reg4' : 'dinov2-vits14';
    const overrides = { embedDim: 32, depth: 2, numHeads: 2, imgSize: 28, patchSize: 14 };
    const encoder = createDinoV2(name, { ...overrides, random: zeros });
    expect(dinov2ParameterCount(dinov2Config(name, overrides))).toBe(encoder.parameterCount());
    encoder.dispose();
  });
});
