import { expect, it } from 'vitest';
import { tf, type Tensor } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { JiT, jitConfig } from '@pixelrepa/jit';
import { Ema } from './ema.js';
import { adamwInit, adamwMoment, adamwUpdate, disposeAdamW, hostArenaRuns, weightDecayGroups } from './adamw.js';

// Host-placed state: the arena path (WASM SIMD passes in a memory of its own) against the JS loop
// (plain arrays), several steps, weight decay on and off: the same bits.

function seeded(seed: number) {
  let n = seed * 1000;
  return {
    normal: (shape: number[], { mean = 0, std = 1 } = {}) => tf.randomNormal(shape, mean, std, 'float32', n++),
    uniform: (shape: number[], { low = 0, high = 1 } = {}) => tf.randomUniform(shape, low, high, 'float32', n++),
  };
}

/** Four AdamW steps and EMA updates with fixed gradients; every value the run ends with. */
async function run(
  hostArena: boolean,
  weightDecay: number,
): Promise<{ values: Map<string, Float32Array>; live: number; arenas: number; emasInArenas: boolean[] }> {
  const jit = new JiT(jitConfig('JiT-Tiny/4', { depth: 1, hiddenSize: 32, numHeads: 2, bottleneckDim: 8, inContextLen: 2, inContextStart: 1, inputSize: 16 }), {
    random: seeded(1),
  });
  const parameters = weightDecayGroups(jit.namedParameters(), weightDecay);
  const before = liveTensors();
  const optimizer = adamwInit(parameters, { placement: 'host', hostArena });
  const emas = [new Ema(jit, 0.9, { placement: 'host', hostArena }), new Ema(jit, 0.8, { placement: 'host', hostArena })];
  for (let step = 0; step < 4; step++) {
    const grads = new Map<string, Tensor>(
      parameters.map(({ name, parameter }, i) => [name, tf.randomNormal(parameter.value.shape, 0, 0.1, 'float32', 1 + 100 * step + i)]),
    );
    adamwUpdate(optimizer, parameters, grads, 2e-3 * (step + 1));
    tf.dispose([...grads.values()]);
    Ema.updateAll(emas);
  }
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
  const arenas = optimizer.arenas.length;
  const emasInArenas = emas.map((ema) => ema.inArena);
  disposeAdamW(optimizer);
  emas.forEach((ema) => ema.dispose());
  const live = liveTensors() - before;
  jit.dispose();
  return { values, live, arenas, emasInArenas };
}

describeEachBackend('host state in arenas', () => {
  for (const weightDecay of [0.05, 0]) {
    it(`AdamW and both EMAs give the JS loop's bits, step after step (weight decay ${weightDecay}), and leave no tensors behind`, async () => {
      const arena = await run(true, weightDecay);
      const loop = await run(false, weightDecay);
      expect(arena.arenas).toBe(1);
      expect(arena.emasInArenas).toEqual([true, true]);
      expect(loop.arenas).toBe(0);
      expect(loop.emasInArenas).toEqual([false, false]);
      expect(arena.live).toBe(0);
      expect(loop.live).toBe(0);
      expect([...arena.values.keys()]).toEqual([...loop.values.keys()]);
      for (const [name, values] of loop.values) {
        const other = arena.values.get(name)!;
        expect(other.length, name).toBe(values.length);
        let differing = 0;
        for (let i = 0; i < values.length; i++) if (!Object.is(values[i], other[i])) differing++;
        expect(differing, name).toBe(0);
      }
      // The steps moved the weights, the moments and the averages.
      expect(loop.values.get('expAvgSq.final_layer.linear.weight')!.some((v) => v > 0)).toBe(true);
      expect(loop.values.get('ema1')!.some((v, i) => v !== loop.values.get('ema0')![i])).toBe(true);
    });
  }
});

it('moments too large for one WASM memory are split over several arenas, planned from the sizes', () => {
  expect(hostArenaRuns([])).toEqual([]);
  expect(hostArenaRuns([10, 3, 7])).toEqual([[0, 3]]);
  // 200 M floats: both moments and the staging area (parameter and gradient) take 3.2 GB, two such
  // parameters 4.8 GB, more than 4 GiB.
  expect(hostArenaRuns([200e6, 200e6, 10, 5])).toEqual([
    [0, 1],
    [1, 4],
  ]);
  // Moments of 2 × 2²⁷ floats (2 GiB) and staging for 2²⁷ (1 GiB) fit; one parameter of 2²⁹ floats cannot.
  expect(hostArenaRuns([2 ** 27, 2 ** 27])).toEqual([[0, 2]]);
  expect(() => hostArenaRuns([5, 2 ** 29])).toThrow(/alone exceed one WASM memory/);
});
