// Dev tool: training steps with and without our fused wasm kernels, in one process, alternating
// step by step, so that others' load on the machine hits both sides alike.
// `npx tsx scripts/ab-fused-kernels.ts [preset] [batch] [rounds] [threads] [rmsnorm|swiglu|rope|densechunks|broadcast|all]`:
// the last argument says which to switch (setFusedKernels: RMSNorm, SwiGLU, RoPE or the chunked/biased
// dense products; setWasmBroadcastKernels:
// broadcasting Add/Sub/Multiply/RealDiv; default all). Prints each side's median and best step and
// their ratio, with the load average before and after. A sixth argument `kernels` also times every
// kernel call (recordKernels) and prints each side's median elementwise kernel time (profile-step's kinds).
import { loadavg } from 'node:os';
import { drawFlow, jitConfig } from '@pixelrepa/jit';
import { createRng, initBackend, recordKernels, setFusedKernels, setWasmBroadcastKernels, tf } from '@pixelrepa/tensor';
import { buildTrainingModules, resolveTrainConfig, trainStep } from '@pixelrepa/train';
import { workKindOf } from '@pixelrepa/cli';

const [preset = 'JiT-Tiny/4', batchText = '32', roundsText = '6', threadsText = '2', which = 'all', detail = ''] = process.argv.slice(2);
const [batch, rounds] = [Number(batchText), Number(roundsText)];
if (!['rmsnorm', 'swiglu', 'rope', 'densechunks', 'broadcast', 'all'].includes(which))
  throw new Error(`switch one of rmsnorm, swiglu, rope, densechunks, broadcast, all (not ${which})`);
await initBackend('wasm', { threads: Number(threadsText) });
const model = jitConfig(preset);
const rng = createRng(0);
const N = (model.inputSize / model.patchSize) ** 2;
const targetWidth = preset === 'JiT-Tiny/4' ? 96 : 768;
const modules = buildTrainingModules(resolveTrainConfig({ model: preset, steps: 1, batchSize: batch, objective: 'pixelrepa' }), { targetWidth, random: rng });
modules.jit.train();
modules.objective?.train();
const images = rng.uniform([batch, model.inputSize, model.inputSize, model.inChannels], { low: -1, high: 1 });
const labels = rng.randint([batch], { high: model.numClasses });
const target = rng.normal([batch, N, targetWidth]);
const elementwise: Record<'fused' | 'composite', number[]> = { fused: [], composite: [] };
async function step(fused: boolean): Promise<number> {
  if (which === 'all' || which === 'rmsnorm') setFusedKernels(fused, ['rmsNorm']);
  if (which === 'all' || which === 'swiglu') setFusedKernels(fused, ['swiglu']);
  if (which === 'all' || which === 'rope') setFusedKernels(fused, ['rope']);
  if (which === 'all' || which === 'densechunks') setFusedKernels(fused, ['denseChunks']);
  if (which === 'all' || which === 'broadcast') setWasmBroadcastKernels(fused);
  const draws = { ...drawFlow(rng, images.shape), maskNoise: rng.uniform([batch, N]) };
  const start = performance.now();
  const run = () => trainStep(modules, { images, labels, target }, draws, 1e-4);
  if (detail === 'kernels') {
    const { kernels } = await recordKernels(run);
    const kernelMs = kernels.filter((k) => workKindOf(k) === 'elementwise').reduce((sum, k) => sum + k.ms, 0);
    elementwise[fused ? 'fused' : 'composite'].push(kernelMs);
  } else await run();
  const ms = performance.now() - start;
  tf.dispose([draws.dropU, draws.tNormal, draws.e, draws.maskNoise]);
  return ms;
}
const loadBefore = loadavg()[0];
await step(true);
await step(false);
elementwise.fused.length = elementwise.composite.length = 0;
const times: Record<'fused' | 'composite', number[]> = { fused: [], composite: [] };
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [true, false] : [false, true];
  for (const fused of order) times[fused ? 'fused' : 'composite'].push(await step(fused));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = Object.fromEntries(
  Object.entries(times).map(([side, xs]) => [side, { medianMs: Math.round(median(xs)), bestMs: Math.round(Math.min(...xs)) }]),
);
console.log(
  JSON.stringify({
    preset,
    batch,
    rounds,
    switched: which,
    load1m: [Number(loadBefore.toFixed(2)), Number(loadavg()[0].toFixed(2))],
    ...summary,
    compositeOverFusedMedian: Number((median(times.composite) / median(times.fused)).toFixed(3)),
    compositeOverFusedBest: Number((Math.min(...times.composite) / Math.min(...times.fused)).toFixed(3)),
    ...(detail === 'kernels' && {
      elementwiseMedianMs: { fused: Math.round(median(elementwise.fused)), composite: Math.round(median(elementwise.composite)) },
    }),
  }),
);
tf.dispose([images, labels, target]);
modules.dispose();
