import type { Tensor } from '@pixelrepa/tensor';
import { Module } from '@pixelrepa/nn';
import { Ema, learningRate } from '@pixelrepa/train';
import type { KindChecker, TensorResult } from '../kind.js';
import { compareAll, disposeAll, input } from '../tensors.js';

/** A module holding named parameters built from the fixture's `src.*` inputs. */
class Holder extends Module {
  constructor(values: Map<string, Tensor>) {
    super();
    for (const [name, value] of values) this.addParameter(name, value);
  }
}

/** The learning-rate table (float64, rtol 1e-12) and one update of both EMAs. */
export const checker: KindChecker = {
  kind: 'lr_schedule_and_ema',
  async check(fixture) {
    const json = fixture.json;
    const results: TensorResult[] = [];
    const args = json.config.adjust_learning_rate.args;
    const { rtol, atol } = (json.tolerance as { lr_table?: { rtol: number; atol: number } } | undefined)?.lr_table ?? { rtol: 1e-12, atol: 0 };
    for (const row of json.lr_table as Array<{ schedule: 'constant' | 'cosine'; epoch: number; lr: number; group_lr: number[] }>) {
      const lr = learningRate(row.epoch, { lr: args.lr, minLr: args.min_lr, warmupEpochs: args.warmup_epochs, epochs: args.epochs, schedule: row.schedule });
      // Group 1 has lr_scale = 0.5.
      const values = [lr, lr, lr * 0.5];
      const expected = [row.lr, ...row.group_lr];
      const error = Math.max(...values.map((v, i) => Math.abs(v - expected[i])));
      const allowed = Math.max(...expected.map((e) => atol + rtol * Math.abs(e)));
      results.push({
        tensor: `lr ${row.schedule} @ epoch ${row.epoch}`,
        maxAbsError: error,
        allowed,
        ok: values.every((v, i) => Math.abs(v - expected[i]) <= atol + rtol * Math.abs(expected[i])),
      });
    }
    const names = [...fixture.inputs().keys()].filter((k) => k.startsWith('src.')).map((k) => k.slice(4));
    const module = new Holder(new Map(names.map((name) => [name, input(fixture, `src.${name}`)])));
    const actual = new Map<string, Tensor>();
    for (const [index, decay] of [
      [1, json.config.update_ema.ema_decay1],
      [2, json.config.update_ema.ema_decay2],
    ] as Array<[number, number]>) {
      const ema = new Ema(module, decay);
      ema.loadStateDict(new Map(names.map((name) => [name, input(fixture, `ema${index}.${name}`)])));
      ema.update();
      for (const [name, value] of ema.stateDict()) actual.set(`ema${index}.${name}`, value);
      ema.dispose();
    }
    results.push(...(await compareAll(fixture, actual)));
    disposeAll(actual);
    module.dispose();
    return results;
  },
};
