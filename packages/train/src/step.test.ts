import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { JiT, drawFlow, jitConfig } from '@pixelrepa/jit';
import { PixelRepaObjective } from '@pixelrepa/align';
import { Ema } from './ema.js';
import { adamwInit, disposeAdamW, weightDecayGroups } from './adamw.js';
import { trainStep } from './step.js';
import { learningRate } from './schedule.js';

describeEachBackend('training step', () => {
  it('trains JiT + MTA for 20 steps with a flat live tensor count and a falling loss', async () => {
    const jit = new JiT(
      jitConfig('JiT-Tiny/4', { depth: 2, hiddenSize: 32, numHeads: 2, bottleneckDim: 8, inContextLen: 2, inContextStart: 1, inputSize: 16 }),
    );
    const objective = new PixelRepaObjective({
      adapter: 'MTA-B/16',
      adapterOverrides: { inputSize: 16, patchSize: 4, hiddenSize: 32, numHeads: 2, inContextLen: 2, numClasses: 10, outChannels: 8 },
      maskToken: jit.mask_token,
    });
    jit.train();
    const named = [...jit.namedParameters().map(([n, p]) => [`net.${n}`, p] as [string, typeof p]), ...objective.namedParameters()];
    const parameters = weightDecayGroups(named, 0);
    const optimizer = adamwInit(parameters);
    const emas = [new Ema(jit, 0.99), new Ema(jit, 0.9)];
    const flow = { pMean: -0.8, pStd: 0.8, tEps: 0.05, noiseScale: 1, labelDropProb: 0.1, numClasses: 10 };
    const random = { normal: (s: number[]) => tf.randomNormal(s), uniform: (s: number[]) => tf.randomUniform(s) };
    const images = tf.tidy(() => tf.tile(tf.reshape(tf.linspace(-1, 1, 16 * 16 * 3), [1, 16, 16, 3]), [4, 1, 1, 1]));
    const labels = tf.tensor1d([0, 1, 2, 3], 'int32');
    const target = tf.randomNormal([4, 16, 8], 0, 1, 'float32', 9);
    const losses: number[] = [];
    let before = 0;
    for (let i = 0; i < 21; i++) {
      if (i === 1) before = liveTensors(); // after the first step created the optimizer's lazy state
      const draws = { ...drawFlow(random, images.shape), maskNoise: tf.randomUniform([4, 16]) };
      const lr = learningRate(i, { lr: 2e-3, warmupEpochs: 2, epochs: 20 });
      const result = await trainStep({ jit, objective, flow, parameters, optimizer, emas }, { images, labels, target }, draws, lr);
      tf.dispose([draws.dropU, draws.tNormal, draws.e, draws.maskNoise]);
      losses.push(result.loss);
      expect(Number.isFinite(result.lossAlign)).toBe(true);
    }
    expect(liveTensors()).toBe(before);
    expect(optimizer.step).toBe(21);
    const early = losses.slice(1, 5).reduce((a, b) => a + b) / 4;
    const late = losses.slice(-4).reduce((a, b) => a + b) / 4;
    expect(late).toBeLessThan(early);
    disposeAdamW(optimizer);
    emas.forEach((ema) => ema.dispose());
    tf.dispose([images, labels, target]);
    objective.dispose();
    jit.dispose();
  });
});
