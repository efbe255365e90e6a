import { drawFlow, jitConfig } from '@pixelrepa/jit';
import { createRng, initBackend, tf } from '@pixelrepa/tensor';
import { buildTrainingModules, resolveTrainConfig, trainStep, trainingLoss } from '@pixelrepa/train';
import { valueAndGrads } from '@pixelrepa/nn';
await initBackend('wasm', { threads: Number(process.env.T ?? 2) });
import * as core from '@tensorflow/tfjs-core';
import { writeSync, openSync } from 'node:fs';
const fd = openSync('/tmp/kernels.log', 'w');
let peak = 0;
for (const k of process.env.LOG ? core.getKernelsForBackend('wasm') : []) {
  const name = k.kernelName;
  core.unregisterKernel(name, 'wasm');
  core.registerKernel({ ...k, kernelFunc: (args) => { const b = (tf.backend() as any).wasm.HEAPU8.buffer.byteLength; if (b > peak) peak = b; writeSync(fd, `${(b / 2 ** 30).toFixed(2)} ${name} ${JSON.stringify(Object.values(args.inputs).map((t: any) => t?.shape))} ${JSON.stringify(args.attrs ?? {}).slice(0, 200)}\n`); return k.kernelFunc(args); } });
}
const preset = 'JiT-B/16', batch = 1;
const rng = createRng(0);
const mem = (w: string) => console.log(w, (tf.memory().numBytes / 2 ** 30).toFixed(2), 'GiB', tf.memory().numTensors);
const modules = buildTrainingModules(resolveTrainConfig({ model: preset, steps: 1, batchSize: batch, objective: 'pixelrepa' }), { targetWidth: 768, random: rng });
mem('built');
modules.jit.train(); modules.objective?.train();
const images = rng.uniform([batch, 256, 256, 3], { low: -1, high: 1 });
const labels = rng.randint([batch], { high: 1000 });
const target = rng.normal([batch, 256, 768]);
const draws = { ...drawFlow(rng, images.shape), maskNoise: rng.uniform([batch, 256]) };
const mode = process.argv[2] ?? 'forward';
try {
  if (mode === 'forward') {
    const l = tf.tidy(() => trainingLoss(modules.jit, modules.objective, modules.flow, { images, labels, target }, draws).total);
    mem('forward'); console.log(await l.data());
  } else if (mode === 'grads') {
    const named = modules.parameters.map(({ name, parameter }) => [name, parameter] as [string, typeof parameter]);
    const { value, grads } = valueAndGrads(() => trainingLoss(modules.jit, modules.objective, modules.flow, { images, labels, target }, draws).total, named);
    mem('grads'); console.log(await value.data());
  } else if (mode === 'manual') {
    const named = modules.parameters.map(({ name, parameter }) => [name, parameter] as [string, typeof parameter]);
    let t = performance.now();
    const { value, grads } = valueAndGrads(() => trainingLoss(modules.jit, modules.objective, modules.flow, { images, labels, target }, draws).total, named);
    console.log('loss', (await value.data())[0], 'grads s', ((performance.now() - t) / 1000).toFixed(1)); mem('grads');
    t = performance.now();
    const { adamwUpdate } = await import('@pixelrepa/train');
    adamwUpdate(modules.optimizer, modules.parameters, grads, 1e-4);
    console.log('adamw s', ((performance.now() - t) / 1000).toFixed(1));
    t = performance.now();
    for (const ema of modules.emas) ema.update();
    console.log('emas s', ((performance.now() - t) / 1000).toFixed(1)); mem('after');
  } else {
    await trainStep(modules, { images, labels, target }, draws, 1e-4); mem('step');
  }
} catch (e) { console.log('FAILED', (e as Error).stack?.split('\n').slice(0, 12).join('\n')); mem('at failure'); }
