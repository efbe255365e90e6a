import { tf, type Tensor } from '@pixelrepa/tensor';
import { Ema, adamwInit, adamwMoment, learningRate, trainStep, weightDecayGroups, disposeAdamW } from '@pixelrepa/train';
import type { KindChecker } from '../kind.js';
import { loadDenoiser } from '../denoiser.js';
import { compareAll, disposeAll, input, missingResults } from '../tensors.js';
import { compareValue } from '../compare.js';

/**
 * K iterations of the reference recipe from given weights and draws: per-step losses and lr,
 * final weights, both EMAs and the AdamW moments.
 */
export const checker: KindChecker = {
  kind: 'train_trajectory',
  async check(fixture) {
    const config = fixture.json.config;
    const { jit, adapter, objective, flow } = loadDenoiser(fixture);
    jit.train();
    adapter.train();

    const hyper = config.optimizer.hyperparameters;
    // Same order as the reference's named_parameters(): net first, then the adapter.
    const named = [
      ...jit.namedParameters().map(([n, p]) => [`net.${n}`, p] as [string, typeof p]),
      ...adapter.namedParameters().map(([n, p]) => [`masked_transformer_adapter.${n}`, p] as [string, typeof p]),
    ];
    const parameters = weightDecayGroups(named, hyper.weight_decay);
    const optimizer = adamwInit(parameters);
    const emas = [new Ema(jit, config.ema.ema_decay1), new Ema(jit, config.ema.ema_decay2)];
    const schedule = {
      lr: config.lr_schedule.args.lr,
      minLr: config.lr_schedule.args.min_lr,
      warmupEpochs: config.lr_schedule.args.warmup_epochs,
      epochs: config.lr_schedule.args.epochs,
      schedule: config.lr_schedule.args.lr_schedule,
    };

    const losses = { jit: [] as number[], mta: [] as number[], total: [] as number[], lr: [] as number[] };
    for (let i = 0; i < config.steps; i++) {
      const epoch = Math.floor(i / config.iters_per_epoch) + (i % config.iters_per_epoch) / config.iters_per_epoch;
      const lr = learningRate(epoch, schedule);
      const get = (name: string, nhwc = false) => input(fixture, `step_${i}.${name}`, { nhwc });
      const images = inputImages(fixture, i);
      const grid = get('noise_grid');
      const batch = { images, labels: get('labels'), target: get('z_dino') };
      const draws = { dropU: get('drop_u'), tNormal: get('t_normal'), e: get('e', true), maskNoise: tf.reshape(grid, [grid.shape[0], -1]) };
      const result = await trainStep({ jit, objective, flow, parameters, optimizer, adamw: { betas: hyper.betas, eps: hyper.eps }, emas }, batch, draws, lr);
      losses.jit.push(result.lossJit);
      losses.mta.push(result.lossAlign!);
      losses.total.push(result.loss);
      losses.lr.push(lr);
      tf.dispose([images, grid, batch.labels, batch.target, draws.dropU, draws.tNormal, draws.e, draws.maskNoise]);
    }

    const actual = new Map<string, Tensor>([
      ['loss_jit', tf.tensor1d(losses.jit)],
      ['loss_mta', tf.tensor1d(losses.mta)],
      ['loss_total', tf.tensor1d(losses.total)],
    ]);
    const expected = fixture.expected();
    // Final weights are stored as `final.net.*` and `final.mta.*`.
    for (const [name, p] of named) {
      const key = `final.${name.replace(/^masked_transformer_adapter\./, 'mta.')}`;
      if (expected.has(key)) actual.set(key, p.layout.toTorch(p.value));
    }
    emas.forEach((ema, k) => {
      for (const [name, value] of ema.stateDict()) {
        if (expected.has(`ema${k + 1}.${name}`)) actual.set(`ema${k + 1}.${name}`, value);
        else value.dispose();
      }
    });
    const byName = new Map(named);
    for (const [kind, which] of [
      ['exp_avg', 'expAvg'],
      ['exp_avg_sq', 'expAvgSq'],
    ] as const) {
      for (const { name } of parameters) {
        if (!expected.has(`adam.${kind}.${name}`)) continue;
        const moment = adamwMoment(optimizer, which, name);
        actual.set(`adam.${kind}.${name}`, byName.get(name)!.layout.toTorch(moment));
        moment.dispose();
      }
    }
    const results = await compareAll(fixture, actual);
    // torch numbers parameters in param_groups order; loading an official optimizer state relies on ours matching it.
    for (const group of config.optimizer.param_groups as Array<{ index: 0 | 1; params: string[] }>) {
      results.push(
        compareValue(
          `param_groups.${group.index}`,
          parameters.filter((p) => p.group === group.index).map((p) => p.name),
          group.params,
        ),
      );
    }
    const lrExpected = expected.get('lr')!.data as Float64Array;
    const lrError = Math.max(...losses.lr.map((v, i) => Math.abs(v - lrExpected[i])));
    results.push({
      tensor: 'lr',
      maxAbsError: lrError,
      allowed: 1e-12 * Math.max(...lrExpected),
      ok: losses.lr.every((v, i) => Math.abs(v - lrExpected[i]) <= 1e-12 * Math.abs(lrExpected[i])),
    });
    disposeAll(actual);
    disposeAdamW(optimizer);
    emas.forEach((ema) => ema.dispose());
    objective.dispose();
    jit.dispose();
    return [...results, ...missingResults(fixture, [...actual.keys(), 'lr'])];
  },
};

/** Step i's clean images: uint8 NCHW → float NHWC in [−1, 1] as the reference does (÷255·2−1). */
function inputImages(fixture: Parameters<KindChecker['check']>[0], i: number): Tensor {
  const names = [...fixture.inputs().keys()];
  const name = names.find((n) => n === `step_${i}.x_uint8`) ?? names.find((n) => n === `step_${i}.x`);
  if (!name) throw new Error(`${fixture.name}: no images for step ${i} (have ${names.filter((n) => n.startsWith(`step_${i}.`)).join(', ')})`);
  const raw = input(fixture, name, { nhwc: true });
  if (name.endsWith('.x')) return raw;
  const images = tf.tidy(() => tf.sub(tf.mul(tf.div(tf.cast(raw, 'float32'), 255), 2), 1));
  raw.dispose();
  return images;
}
