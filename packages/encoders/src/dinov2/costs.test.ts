import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@pixelrepa/tensor';
import { dinov2Config } from './config.js';
import { dinov2ParameterCount } from './costs.js';
import { createDinoV2 } from './create.js';

const zeros = { normal: (shape: number[]) => tf.zeros(shape), uniform: (shape: number[]) => tf.zeros(shape) };

describe('parameter count from the config', () => {
  beforeAll(() => initBackend('cpu'));

  it.each([false, true])('dinov2ParameterCount equals the parameters of a built DINOv2 (registers: %s)', (registers) => {
    const name = registers ? 'dinov2-vits14-reg4' : 'dinov2-vits14';
    const overrides = { embedDim: 32, depth: 2, numHeads: 2, imgSize: 28, patchSize: 14 };
    const encoder = createDinoV2(name, { ...overrides, random: zeros });
    expect(dinov2ParameterCount(dinov2Config(name, overrides))).toBe(encoder.parameterCount());
    encoder.dispose();
  });
});
