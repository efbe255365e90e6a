// What one training step of each variant costs, measured in one process, the variants taking turns
// (so load changes hit them alike): the "equal time" half of the comparison. The sweep's own
// per-step times come from a shared machine whose load changed from run to run; these do not.
//   npm run -w @pixelrepa/example-reproduction step-cost [-- --rounds 3 --steps 12 --out docs/reproduction/step-cost.json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, type BackendName } from '@pixelrepa/tensor';
import { DataLoader, proceduralDataset } from '@pixelrepa/data';
import { loadSmallViTFile } from '@pixelrepa/encoders/node';
import { trainRecipes } from '@pixelrepa/train';
import { Trainer } from '@pixelrepa/train/node';
import { protocol, repositoryPath, runConfig, variants, type Variant } from './protocol.js';
import { summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: process.env.PIXELREPA_BACKEND ?? 'wasm' },
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '12' },
    out: { type: 'string', default: 'docs/reproduction/step-cost.json' },
  },
});
const rounds = Number(values.rounds);
const steps = Number(values.steps);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(steps) || steps < 3) {
  console.error('step-cost: --rounds ≥ 1 and --steps ≥ 3 (the first two steps of each turn are warm-up)');
  process.exit(2);
}
const backend = await initBackend(values.backend as BackendName, { xnnpackThreads: 1 }); // XNNPACK on one thread: our GEMM takes every thread
const target = loadSmallViTFile(repositoryPath(trainRecipes.quickstart.encoder));
target.eval();
// The cost of a step does not depend on the pixels: procedural images of the protocol's size stand in for Fashion-MNIST.
const { inputSize, numClasses } = trainRecipes.quickstart.config.modelOverrides;
const data = proceduralDataset({ imageSize: inputSize, numClasses, length: protocol.batchSize * 8 });
const scratch = mkdtempSync(join(tmpdir(), 'pixelrepa-step-cost-'));
const perVariant = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
const loads: number[] = [loadavg()[0]];
try {
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const times: number[] = [];
      const trainer = await Trainer.create({
        config: { ...runConfig(protocol, variant, 0), steps, checkpointEvery: steps * 10 },
        data: new DataLoader(data, { batchSize: protocol.batchSize, seed: 0, shuffle: true, dropLast: true }),
        encoder: variant === 'none' ? undefined : target,
        outDir: join(scratch, `${variant}-${round}`),
        onEvent: (event) => {
          if (event.type === 'step' && event.step > 2) times.push(protocol.batchSize / event.imagesPerSecond);
        },
      });
      await trainer.run();
      trainer.dispose();
      perVariant.get(variant)!.push(...times);
      loads.push(loadavg()[0]);
      console.log(`round ${round + 1}/${rounds} ${variant}: median ${(1000 * median(times)).toFixed(0)} ms/step over ${times.length} steps`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const none = median(perVariant.get('none')!);
const result = {
  protocol: protocol.id,
  what: 'seconds per training step (batch of the protocol), median over every measured step; the variants take turns in one process',
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, backend: backend.name, threads: backend.threads ?? 1, node: process.version },
  load_average: summarize(loads),
  rounds,
  steps_per_turn: steps,
  variants: Object.fromEntries(
    variants.map((variant) => {
      const times = perVariant.get(variant)!;
      return [variant, { seconds_per_step: median(times), min: Math.min(...times), steps: times.length, relative_to_none: median(times) / none }];
    }),
  ),
};
const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out!);
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
