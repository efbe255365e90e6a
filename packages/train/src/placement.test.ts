import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { JiT, drawFlow, jitConfig } from '@pixelrepa/jit';
import { PixelRepaObjective } from '@pixelrepa/align';
import { Ema } from './ema.js';
import { adamwInit, adamwMoment, disposeAdamW, setAdamwMoments, weightDecayGroups, type StatePlacement } from './adamw.js';
import { trainStep } from './step.js';
import { blockValuesPerImage, resolveRemat, resolveStatePlacement } from './setup.js';
import { setBlockRemat } from '@pixelrepa/nn';

/** Five PixelREPA steps (weight decay on) from fixed weights and draws; everything the run holds afterwards. */
async function run(placement: StatePlacement, remat = false): Promise<{ values: Map<string, Float32Array>; live: number; losses: number[] }> {
  const jit = new JiT(jitConfig('JiT-Tiny/4', { depth: 2, hiddenSize: 32, numHeads: 2, bottleneckDim: 8, inContextLen: 2, inContextStart: 1, inputSize: 16 }), {
    random: seeded(1),
  });
  const objective = new PixelRepaObjective({
    adapter: 'MTA-B/16',
    adapterOverrides: { inputSize: 16, patchSize: 4, hiddenSize: 32, numHeads: 2, inContextLen: 2, numClasses: 10, outChannels: 8 },
    maskToken: jit.mask_token,
    random: seeded(2),
  });
  jit.train();
  expect(setBlockRemat(jit, remat) + setBlockRemat(objective, remat)).toBe(4);
  const parameters = weightDecayGroups([...jit.namedParameters().map(([n, p]) => [`net.${n}`, p] as [string, typeof p]), ...objective.namedParameters()], 0.05);
  const optimizer = adamwInit(parameters, { placement });
  const emas = [new Ema(jit, 0.9, { placement }), new Ema(jit, 0.8, { placement })];
  expect(optimizer.placement).toBe(placement);
  expect(emas[0].placement).toBe(placement);
  const flow = { pMean: -0.8, pStd: 0.8, tEps: 0.05, noiseScale: 1, labelDropProb: 0.1, numClasses: 10 };
  const random = { normal: (s: number[]) => tf.randomNormal(s, 0, 1, 'float32', 3), uniform: (s: number[]) => tf.randomUniform(s, 0, 1, 'float32', 4) };
  const images = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 5);
  const labels = tf.tensor1d([1, 7], 'int32');
  const target = tf.randomNormal([2, 16, 8], 0, 1, 'float32', 6);
  let live = 0;
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) {
    if (i === 1) live = liveTensors();
    const draws = { ...drawFlow(random, images.shape), maskNoise: tf.randomUniform([2, 16], 0, 1, 'float32', i) };
    losses.push((await trainStep({ jit, objective, flow, parameters, optimizer, emas }, { images, labels, target }, draws, 2e-3)).loss);
    tf.dispose([draws.dropU, draws.tNormal, draws.e, draws.maskNoise]);
  }
  live = liveTensors() - live;
  const values = new Map<string, Float32Array>();
  for (const { name, parameter } of parameters) {
    values.set(name, Float32Array.from(parameter.value.dataSync()));
    for (const which of ['expAvg', 'expAvgSq'] as const) {
      const moment = adamwMoment(optimizer, which, name);
      values.set(`${which}.${name}`, Float32Array.from(moment.dataSync()));
      moment.dispose();
    }
  }
  for (const [i, ema] of emas.entries()) values.set(`ema${i}`, await ema.data());
  disposeAdamW(optimizer);
  emas.forEach((ema) => ema.dispose());
  tf.dispose([images, labels, target]);
  objective.dispose();
  jit.dispose();
  return { values, live, losses };
}

function seeded(seed: number) {
  let n = seed * 1000;
  return {
    normal: (shape: number[], { mean = 0, std = 1 } = {}) => tf.randomNormal(shape, mean, std, 'float32', n++),
    uniform: (shape: number[], { low = 0, high = 1 } = {}) => tf.randomUniform(shape, low, high, 'float32', n++),
  };
}

describeEachBackend('optimiser state placement', (backend) => {
  it('host moments and EMAs give the same bits as device ones, and leave no tensors behind', async () => {
    const device = await run('device');
    const host = await run('host');
    expect(host.live).toBe(0);
    expect(device.live).toBe(0);
    expect([...host.values.keys()]).toEqual([...device.values.keys()]);
    for (const [name, values] of device.values) {
      const other = host.values.get(name)!;
      let differing = 0;
      for (let i = 0; i < values.length; i++) if (!Object.is(values[i], other[i])) differing++;
      expect(differing, name).toBe(0);
    }
    // Five steps moved the weights, the moments and the EMAs.
    expect(device.values.get('expAvgSq.net.final_layer.linear.weight')!.some((v) => v > 0)).toBe(true);
  });

  it('host state round-trips through state dicts and moment maps (checkpoints) exactly', async () => {
    const jit = new JiT(
      jitConfig('JiT-Tiny/4', { depth: 1, hiddenSize: 16, numHeads: 2, bottleneckDim: 4, inContextLen: 0, inContextStart: 0, inputSize: 8 }),
      { random: seeded(3) },
    );
    const parameters = weightDecayGroups(jit.namedParameters(), 0);
    const before = liveTensors();
    const device = new Ema(jit, 0.5);
    const host = new Ema(jit, 0.5, { placement: 'host' });
    const state = device.stateDict();
    host.loadStateDict(state);
    expect(await host.data()).toEqual(await device.data());
    tf.dispose([...state.values()]);
    const moments = adamwInit(parameters, { placement: 'host' });
    const values = new Map(parameters.map(({ name, parameter }) => [name, tf.randomNormal(parameter.value.shape, 0, 1, 'float32', 7)]));
    setAdamwMoments(moments, 'expAvg', values);
    for (const { name } of parameters) {
      const back = adamwMoment(moments, 'expAvg', name);
      expect(back.shape).toEqual(values.get(name)!.shape);
      expect(Array.from(back.dataSync())).toEqual(Array.from(values.get(name)!.dataSync()));
      back.dispose();
    }
    tf.dispose([...values.values()]);
    disposeAdamW(moments);
    device.dispose();
    host.dispose();
    expect(liveTensors()).toBe(before);
    jit.dispose();
  });

  it('remat (blocks recompute their activations in the backward pass) trains the same run', async () => {
    const plain = await run('device');
    const recomputed = await run('device', true);
    expect(recomputed.live).toBe(0);
    // The first forward pass is the same computation; later ones see weights that differ by the
    // rounding of the conditioning's gradient, summed per block first (see remat).
    expect(recomputed.losses[0]).toBe(plain.losses[0]);
    recomputed.losses.forEach((loss, i) => expect(loss).toBeCloseTo(plain.losses[i], 4));
    for (const [name, values] of plain.values) {
      const other = recomputed.values.get(name)!;
      const scale = Math.max(1e-3, ...values.map(Math.abs));
      let worst = 0;
      for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i] - other[i]));
      expect(worst / scale, name).toBeLessThan(1e-4);
    }
  });

  it('auto turns remat on only when a step would crowd a limited heap (wasm)', () => {
    const b16 = { blockValues: 14 * 288 * 768, trainable: 155e6, deviceStateBytes: 0 };
    expect(resolveRemat('auto', { ...b16, batch: 1 })).toBe(false);
    expect(resolveRemat('auto', { ...b16, batch: 4 })).toBe(backend === 'wasm');
    expect(resolveRemat(true, { ...b16, batch: 1 })).toBe(true);
    expect(resolveRemat(false, { ...b16, batch: 64 })).toBe(false);
    const jit = new JiT(jitConfig('JiT-Tiny/4', { depth: 3, hiddenSize: 16, numHeads: 2, bottleneckDim: 4, inContextLen: 0, inContextStart: 0, inputSize: 8 }));
    expect(blockValuesPerImage([jit], jit.numPatches)).toBe(3 * 4 * 16);
    jit.dispose();
  });

  it('auto keeps large state off a limited heap (wasm) only', () => {
    const big = 300e6;
    expect(resolveStatePlacement('auto', big, big)).toBe(backend === 'wasm' ? 'host' : 'device');
    expect(resolveStatePlacement('auto', 1e6, 1e6)).toBe('device');
    expect(resolveStatePlacement('host', 1, 1)).toBe('host');
  });
});
