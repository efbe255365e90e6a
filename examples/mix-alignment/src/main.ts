// REPA and PixelREPA mixed into a model that is not JiT: a tiny DiT with ε-prediction, trained on
// the procedural dataset. Both the diffusion loss and the alignment loss fall.
//   npm run -w @pixelrepa/example-mix-alignment start [-- --steps 150 --batch 16]
import { parseArgs } from 'node:util';
import { initBackend, type BackendName } from '@pixelrepa/tensor';
import { firstAndLast, loadEncoder, trainWithObjective } from './train.js';

const { values } = parseArgs({
  options: { steps: { type: 'string', default: '150' }, batch: { type: 'string', default: '16' }, backend: { type: 'string', default: 'wasm' } },
});
const info = await initBackend(values.backend as BackendName, { xnnpackThreads: 1 }); // XNNPACK on one thread: our GEMM takes every thread
console.log(`backend ${info.name}`);
const encoder = loadEncoder();
let failed = false;
for (const objective of ['repa', 'pixelrepa'] as const) {
  const started = performance.now();
  const result = await trainWithObjective(encoder, {
    objective,
    steps: Number(values.steps),
    batchSize: Number(values.batch),
    onStep: (step, diffusion, align) => {
      if (step % 25 === 0) console.log(`${objective.padEnd(9)} step ${step}: ε-loss ${diffusion.toFixed(4)}, alignment ${align.toFixed(4)}`);
    },
  });
  const [d0, d1] = firstAndLast(result.diffusion);
  const [a0, a1] = firstAndLast(result.align);
  console.log(
    `${objective}: ε-loss ${d0.toFixed(4)} → ${d1.toFixed(4)}, alignment ${a0.toFixed(4)} → ${a1.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  if (!(d1 < d0 && a1 < a0)) {
    console.error(`${objective}: a loss did not fall`);
    failed = true;
  }
}
encoder.dispose();
process.exit(failed ? 1 : 0);
