// Dev tool: where a training step spends its time on wasm — tf.profile of one step, kernel time
// grouped by kernel and by input shapes. `npx tsx scripts/profile-train-step.ts [preset] [batch] [threads]`
// (tf.profile also counts customGrad scopes, so the kernel total exceeds the step time).
import { drawFlow, jitConfig } from '@pixelrepa/jit';
import { createRng, initBackend, tf } from '@pixelrepa/tensor';
import { buildTrainingModules, resolveTrainConfig, trainStep } from '@pixelrepa/train';

const preset = process.argv[2] ?? 'JiT-Tiny/4';
const batch = Number(process.argv[3] ?? 32);
const threads = Number(process.argv[4] ?? 2);
await initBackend('wasm', { threads });
const model = jitConfig(preset);
const rng = createRng(0);
const N = (model.inputSize / model.patchSize) ** 2;
const modules = buildTrainingModules(resolveTrainConfig({ model: preset, steps: 1, batchSize: batch, objective: 'pixelrepa' }), { targetWidth: 96, random: rng });
modules.jit.train();
modules.objective?.train();
const images = rng.uniform([batch, model.inputSize, model.inputSize, 3], { low: -1, high: 1 });
const labels = rng.randint([batch], { high: model.numClasses });
const target = rng.normal([batch, N, 96]);
const step = async () => {
  const draws = { ...drawFlow(rng, images.shape), maskNoise: rng.uniform([batch, N]) };
  await trainStep(modules, { images, labels, target }, draws, 1e-4);
  tf.dispose([draws.dropU, draws.tNormal, draws.e, draws.maskNoise]);
};
await step();
let t = performance.now();
await step();
console.log('step ms', (performance.now() - t).toFixed(0));
t = performance.now();
const info = await tf.profile(step);
console.log('profiled step ms', (performance.now() - t).toFixed(0));
const groups = new Map<string, { ms: number; n: number }>();
const byKernel = new Map<string, { ms: number; n: number }>();
let total = 0;
for (const k of info.kernels) {
  const ms = Number(await k.kernelTimeMs);
  total += ms;
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  const g = groups.get(key) ?? { ms: 0, n: 0 };
  g.ms += ms; g.n++;
  groups.set(key, g);
  const b = byKernel.get(k.name) ?? { ms: 0, n: 0 };
  b.ms += ms; b.n++;
  byKernel.set(k.name, b);
}
console.log('kernel total ms', total.toFixed(0), 'kernels', info.kernels.length);
for (const [k, v] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(v.ms.toFixed(1).padStart(8), String(v.n).padStart(5), k);
console.log('---');
for (const [k, v] of [...groups].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) console.log(v.ms.toFixed(1).padStart(8), String(v.n).padStart(5), k.slice(0, 150));
