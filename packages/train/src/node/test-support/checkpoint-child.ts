// A training run that checkpoints after every step, for the SIGKILL test: run with
// `tsx checkpoint-child.ts <outDir>`; prints "checkpoint <step>" after each write.
import { initBackend } from '@pixelrepa/tensor';
import { DataLoader, proceduralDataset } from '@pixelrepa/data';
import { Trainer } from '../../node.js';

const outDir = process.argv[2];
await initBackend('cpu');
const data = new DataLoader(proceduralDataset({ imageSize: 16, length: 64 }), { batchSize: 2, seed: 1 });
const trainer = await Trainer.create({
  config: {
    model: 'JiT-Tiny/4',
    modelOverrides: { inputSize: 16, depth: 2, hiddenSize: 96, numHeads: 2 },
    objective: 'none',
    steps: 10_000,
    batchSize: 2,
    checkpointEvery: 1,
    keepLast: 3,
  },
  data,
  outDir,
  onEvent: (event) => {
    if (event.type === 'checkpoint') console.log(`checkpoint ${event.step}`);
  },
});
await trainer.run();
