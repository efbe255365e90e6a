import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend } from '@pixelrepa/tensor';
import { DataLoader, proceduralDataset } from '@pixelrepa/data';
import { Trainer } from '../node.js';
import { listCheckpoints } from './checkpoint.js';
import { truncateRunLog } from './run-log.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-run-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('cpu');
});

const steps = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { step: number; eval?: unknown });

it('truncateRunLog drops the lines after a step, keeping earlier steps, their evals and foreign lines', () => {
  const path = join(dir, 'log.jsonl');
  writeFileSync(
    path,
    [{ step: 1 }, { step: 2 }, { step: 2, eval: { fid: 1 } }, { step: 3 }, { step: 3, eval: { fid: 2 } }].map((line) => JSON.stringify(line)).join('\n') +
      '\nnot json\n',
  );
  expect(truncateRunLog(path, 2)).toBe(2);
  expect(readFileSync(path, 'utf8')).toBe('{"step":1}\n{"step":2}\n{"step":2,"eval":{"fid":1}}\nnot json\n');
  expect(truncateRunLog(path, 2)).toBe(0);
  expect(truncateRunLog(join(dir, 'missing.jsonl'), 2)).toBe(0);
});

it('a run killed after logging steps it did not checkpoint logs each step once after resume', async () => {
  const outDir = join(dir, 'run');
  const config = (n: number) => ({
    model: 'JiT-Tiny/4',
    modelOverrides: { inputSize: 16, hiddenSize: 32, numHeads: 2, depth: 1, bottleneckDim: 8, inContextLen: 2, inContextStart: 1 },
    objective: 'none' as const,
    steps: n,
    batchSize: 2,
    checkpointEvery: 2,
    keepLast: 5,
  });
  const loader = () => new DataLoader(proceduralDataset({ imageSize: 16, length: 16 }), { batchSize: 2, seed: 1, shuffle: true, dropLast: true });
  const first = await Trainer.create({ config: config(3), data: loader(), outDir });
  await first.run();
  first.dispose();
  // What a SIGKILL after step 3's log line and before its checkpoint leaves: lines 1–3, checkpoints up to 2.
  rmSync(listCheckpoints(join(outDir, 'checkpoints'))[0]);
  expect(listCheckpoints(join(outDir, 'checkpoints')).map((path) => path.split(/[\\/]/).pop())).toEqual(['checkpoint-2.safetensors']);
  expect(steps(join(outDir, 'log.jsonl')).map((line) => line.step)).toEqual([1, 2, 3]);
  const resumed = await Trainer.create({ config: config(4), data: loader(), outDir, resume: outDir });
  expect(resumed.step).toBe(2);
  await resumed.run();
  resumed.dispose();
  expect(steps(join(outDir, 'log.jsonl')).map((line) => line.step)).toEqual([1, 2, 3, 4]);
});
