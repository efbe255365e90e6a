import { expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { rawStateDict } from '@pixelrepa/nn';
import type { CheckpointValue } from '@pixelrepa/io';
import { JiT, drawFlow, jitConfig } from '@pixelrepa/jit';
import { PixelRepaObjective } from '@pixelrepa/align';
import { adamwInit, adamwMoment, disposeAdamW, weightDecayGroups, type AdamWState, type OptimizedParameter } from './adamw.js';
import { trainStep } from './step.js';
import { loadTorchAdamW } from './torch-adamw.js';

/** A tiny JiT + PixelREPA adapter, parameters in the reference's named_parameters order. */
function build() {
  const jit = new JiT(jitConfig('JiT-Tiny/4', { depth: 2, hiddenSize: 32, numHeads: 2, bottleneckDim: 8, inContextLen: 2, inContextStart: 1, inputSize: 16 }));
  const objective = new PixelRepaObjective({
    adapter: 'MTA-B/16',
    adapterOverrides: { inputSize: 16, patchSize: 4, hiddenSize: 32, numHeads: 2, inContextLen: 2, numClasses: 10, outChannels: 8 },
    maskToken: jit.mask_token,
  });
  const jitNamed = jit.namedParameters().map(([n, p]) => [`net.${n}`, p] as [string, typeof p]);
  const all = weightDecayGroups([...jitNamed, ...objective.namedParameters()], 0.05);
  const jitOnly = weightDecayGroups(jitNamed, 0.05);
  return {
    jit,
    objective,
    all,
    jitOnly,
    dispose: () => {
      objective.dispose();
      jit.dispose();
    },
  };
}

/**
 * The optimizer as torch.save writes it and our reader returns it: indices numbered over
 * param_groups (no decay first), `state` a Map with integer keys, `step` a one-value tensor.
 */
async function asTorchOptimizer(state: AdamWState, parameters: OptimizedParameter[]): Promise<CheckpointValue> {
  const ordered = [...parameters.filter((p) => p.group === 0), ...parameters.filter((p) => p.group === 1)];
  const entries = new Map<CheckpointValue, CheckpointValue>();
  for (const [index, { name, parameter }] of ordered.entries()) {
    const moments = (['expAvg', 'expAvgSq'] as const).map((which) => {
      const moment = adamwMoment(state, which, name);
      const torch = parameter.layout.toTorch(moment);
      moment.dispose();
      return torch;
    });
    const raw = await rawStateDict([
      ['exp_avg', moments[0]],
      ['exp_avg_sq', moments[1]],
    ]);
    tf.dispose(moments);
    entries.set(index, {
      step: { dtype: 'F32', shape: [], data: Float32Array.of(state.step) },
      exp_avg: raw.get('exp_avg')!,
      exp_avg_sq: raw.get('exp_avg_sq')!,
    });
  }
  const count0 = parameters.filter((p) => p.group === 0).length;
  return {
    state: entries,
    param_groups: [
      { params: ordered.slice(0, count0).map((_, i) => i), weight_decay: 0, lr: 1e-4 },
      { params: ordered.slice(count0).map((_, i) => count0 + i), weight_decay: 0.05, lr: 1e-4 },
    ],
  };
}

async function momentsEqual(a: AdamWState, b: AdamWState, names: string[]): Promise<number> {
  let worst = 0;
  for (const name of names) {
    for (const which of ['expAvg', 'expAvgSq'] as const) {
      const x = adamwMoment(a, which, name);
      const y = adamwMoment(b, which, name);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))));
      worst = Math.max(worst, (await diff.data())[0]);
      tf.dispose([x, y, diff]);
    }
  }
  return worst;
}

describeEachBackend('loading an official AdamW state', () => {
  it('maps torch parameter indices onto our parameters: moments and step exactly, no tensors left behind', async () => {
    const { jit, objective, all, jitOnly, dispose } = build();
    jit.train();
    const trained = adamwInit(all);
    const flow = { pMean: -0.8, pStd: 0.8, tEps: 0.05, noiseScale: 1, labelDropProb: 0.1, numClasses: 10 };
    const random = { normal: (s: number[]) => tf.randomNormal(s, 0, 1, 'float32', 3), uniform: (s: number[]) => tf.randomUniform(s, 0, 1, 'float32', 4) };
    const images = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 5);
    const labels = tf.tensor1d([1, 7], 'int32');
    const target = tf.randomNormal([2, 16, 8], 0, 1, 'float32', 6);
    for (let i = 0; i < 3; i++) {
      const draws = { ...drawFlow(random, images.shape), maskNoise: tf.randomUniform([2, 16], 0, 1, 'float32', i) };
      await trainStep({ jit, objective, flow, parameters: all, optimizer: trained, emas: [] }, { images, labels, target }, draws, 1e-3);
      tf.dispose([draws.dropU, draws.tNormal, draws.e, draws.maskNoise]);
    }
    const torch = await asTorchOptimizer(trained, all);

    const before = liveTensors();
    const fresh = adamwInit(all);
    const report = loadTorchAdamW(fresh, all, torch);
    expect(report).toEqual({ step: 3, loaded: all.length, unmatched: 0, zero: 0 });
    expect(fresh.step).toBe(3);
    expect(
      await momentsEqual(
        fresh,
        trained,
        all.map((p) => p.name),
      ),
    ).toBe(0);
    disposeAdamW(fresh);
    expect(liveTensors()).toBe(before);

    // A run of the JiT alone takes the JiT's part of a PixelREPA optimizer (the adapter comes last in each group).
    const jitState = adamwInit(jitOnly);
    const partial = loadTorchAdamW(jitState, jitOnly, torch);
    expect(partial.unmatched).toBe(all.length - jitOnly.length);
    expect(partial.unmatched).toBeGreaterThan(0);
    expect(
      await momentsEqual(
        jitState,
        trained,
        jitOnly.map((p) => p.name),
      ),
    ).toBe(0);
    disposeAdamW(jitState);

    // Missing entries (parameters torch never updated) start at zero.
    (torch as { state: Map<CheckpointValue, CheckpointValue> }).state.delete(0);
    const gap = adamwInit(all);
    expect(loadTorchAdamW(gap, all, torch).zero).toBe(1);
    disposeAdamW(gap);

    disposeAdamW(trained);
    tf.dispose([images, labels, target]);
    dispose();
  });

  it('refuses optimizers that do not fit, naming the parameter and shapes', async () => {
    const { all, jitOnly, dispose } = build();
    const state = adamwInit(all);
    const torch = (await asTorchOptimizer(state, all)) as { state: Map<CheckpointValue, CheckpointValue>; param_groups: Array<{ params: number[] }> };
    const jitState = adamwInit(jitOnly);
    const small = await asTorchOptimizer(jitState, jitOnly);
    disposeAdamW(jitState);
    expect(() => loadTorchAdamW(state, all, small)).toThrow(/group 0 \(no decay\) has \d+ parameters, this run has \d+/);
    // Swap two decay entries of different shapes.
    const decay = torch.param_groups[1].params;
    [decay[0], decay[1]] = [decay[1], decay[0]];
    expect(() => loadTorchAdamW(state, all, torch)).toThrow(/has exp_avg of shape \[.*\], but the parameter it maps to, net\.\S+, is \[/);
    expect(() => loadTorchAdamW(state, all, { state: new Map(), param_groups: [{ params: [] }] })).toThrow(/1 parameter group; the reference's AdamW has 2/);
    expect(() => loadTorchAdamW(state, all, { param_groups: [] })).toThrow(/"state" is not a dict/);
    expect(() => loadTorchAdamW(state, all, [1, 2])).toThrow(/not a torch AdamW state dict/);
    const sgd = { state: new Map<CheckpointValue, CheckpointValue>([[0, { momentum_buffer: null }]]), param_groups: [{ params: [0] }, { params: [] }] };
    expect(() => loadTorchAdamW(state, all, sgd)).toThrow(/lacks exp_avg/);
    disposeAdamW(state);
    dispose();
  });
});
