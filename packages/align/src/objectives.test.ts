import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@pixelrepa/tensor';
import { describeEachBackend } from '@pixelrepa/tensor/testing';
import { createObjective, type ObjectiveConfigs, type ObjectiveName } from './create.js';
import { cosineSimilarity, normalize } from './cosine.js';

describeEachBackend('alignment objectives', () => {
  it('cosine similarity of a vector with itself is 1 and with its negation −1', async () => {
    const a = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 2],
    ]);
    expect(Array.from(await cosineSimilarity(a, a).data()).map((v) => +v.toFixed(6))).toEqual([1, 1]);
    expect(Array.from(await cosineSimilarity(a, tf.neg(a)).data()).map((v) => +v.toFixed(6))).toEqual([-1, -1]);
    expect(Array.from(await normalize(tf.zeros([1, 3])).data())).toEqual([0, 0, 0]);
  });

  it("REPA: −mean cos, projector keys as in REPA's SiT, gradients reach the tokens", async () => {
    const repa = createObjective('repa', { hiddenSize: 8, targetSize: 4, projectorDim: 16 });
    expect(repa.weight).toBe(0.5);
    expect(repa.namedParameters().map(([n]) => n)).toEqual([
      'projectors.0.0.weight',
      'projectors.0.0.bias',
      'projectors.0.2.weight',
      'projectors.0.2.bias',
      'projectors.0.4.weight',
      'projectors.0.4.bias',
    ]);
    const tokens = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 1);
    const target = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 2);
    const loss = (await repa.compute({ tokens, target }).loss.data())[0];
    expect(loss).toBeGreaterThanOrEqual(-1);
    expect(loss).toBeLessThanOrEqual(1);
    const grad = tf.grad((h: Tensor) => repa.compute({ tokens: h, target }).loss)(tokens);
    expect(Math.max(...Array.from(await tf.abs(grad).data()))).toBeGreaterThan(0);
    expect(() => repa.compute({ tokens, target: tf.zeros([2, 4, 4]) })).toThrow(/alignment target must be \[2, 5, 4\]/);
    repa.dispose();
  });

  it('PixelREPA: mean(1 − cos) in [0, 2], conditions on t and y, masks with its own token when none is given', async () => {
    const objective = createObjective('pixelrepa', {
      adapter: 'MTA-B/16',
      adapterOverrides: { inputSize: 16, patchSize: 4, hiddenSize: 16, numHeads: 2, inContextLen: 2, numClasses: 3, outChannels: 8 },
    });
    expect(objective.weight).toBe(0.1);
    expect(objective.maskRatio).toBe(0.2);
    expect(objective.namedParameters().map(([n]) => n)).toContain('mask_token');
    const tokens = tf.randomNormal([2, 16, 16], 0, 1, 'float32', 3);
    const target = tf.randomNormal([2, 16, 8], 0, 1, 'float32', 4);
    const t = tf.tensor1d([0.3, 0.8]);
    const y = tf.tensor1d([0, 3], 'int32');
    const random = { normal: (s: number[]) => tf.randomNormal(s, 0, 1, 'float32', 5), uniform: (s: number[]) => tf.randomUniform(s, 0, 1, 'float32', 6) };
    const { loss, parts } = objective.compute({ tokens, target, t, y, random });
    const value = (await loss.data())[0];
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(2);
    expect(parts.cosSim.shape).toEqual([2, 16]);
    expect(() => objective.compute({ tokens, target })).toThrow(/pass both/);
    expect(() => objective.compute({ tokens, target, t, y })).toThrow(/maskNoise/);
    objective.dispose();
  });
});

describe('createObjective with a name known at run time', () => {
  it('builds the objective its name says', () => {
    const names: ObjectiveName[] = ['repa', 'pixelrepa'];
    const name = names[0];
    const objective = createObjective(name, { hiddenSize: 8, targetSize: 4, projectorDim: 16 } as ObjectiveConfigs[typeof name]);
    expect(objective.kind).toBe('repa');
    objective.dispose();
    expect(() => createObjective('sit' as ObjectiveName, { hiddenSize: 8, targetSize: 4, projectorDim: 16 })).toThrow(
      /unknown alignment objective "sit" \(repa or pixelrepa\)/,
    );
  });
});
