import { mkdtempSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend, tf, type Tensor } from '@pixelrepa/tensor';
import { describeEachBackend, liveTensors } from '@pixelrepa/tensor/testing';
import { DataLoader, proceduralDataset } from '@pixelrepa/data';
import { patchify } from '@pixelrepa/jit';
import { Trainer, type TargetEncoder } from '../node.js';
import { listCheckpoints, readCheckpoint } from './checkpoint.js';
import { adamwMoment } from '../adamw.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-train-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
// The tests outside the per-backend suites run on cpu.
beforeAll(async () => {
  await initBackend('cpu');
});

/** A fixed stand-in encoder: 4×4 patches → a fixed random projection (8 tokens wide). */
function standInEncoder(): TargetEncoder & { dispose(): void } {
  const projection = tf.randomNormal([48, 8], 0, 0.2, 'float32', 99);
  return {
    embedDim: 8,
    encode: (images: Tensor) => tf.tidy(() => tf.matMul(patchify(images, 4), tf.broadcastTo(projection, [images.shape[0], 48, 8]))),
    dispose: () => projection.dispose(),
  };
}

const model = 'JiT-Tiny/4';
const modelOverrides = { inputSize: 16, hiddenSize: 32, numHeads: 2, depth: 2, bottleneckDim: 8, inContextLen: 2, inContextStart: 1 };
const loader = () => new DataLoader(proceduralDataset({ imageSize: 16, length: 24 }), { batchSize: 4, seed: 3, shuffle: true, flip: true, dropLast: true });
const config = (steps: number) => ({
  model,
  modelOverrides,
  steps,
  batchSize: 4,
  objective: 'pixelrepa' as const,
  blr: 0.05,
  warmup_epochs: 1,
  checkpointEvery: 100,
  keepLast: 2,
  seed: 5,
});

async function weightsOf(trainer: Trainer): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const { name, parameter } of trainer.modules.parameters) {
    out.set(name, (await parameter.value.data()) as Float32Array);
    for (const which of ['expAvg', 'expAvgSq'] as const) {
      const moment = adamwMoment(trainer.modules.optimizer, which, name);
      out.set(`${which}.${name}`, (await moment.data()) as Float32Array);
      moment.dispose();
    }
  }
  for (const [i, ema] of trainer.modules.emas.entries()) out.set(`ema${i}`, await ema.data());
  return out;
}

describeEachBackend('Trainer', () => {
  for (const statePlacement of ['auto', 'host'] as const) {
    it(`resumes exactly${statePlacement === 'host' ? ' with host-placed moments and EMAs (arenas)' : ''}: 2n steps equal n steps + resume + n steps`, async () => {
      const encoder = standInEncoder();
      const full = await Trainer.create({ config: config(8), data: loader(), encoder, outDir: tempDir(), statePlacement });
      await full.run();
      const a = await weightsOf(full);
      full.dispose();

      const dir = tempDir();
      const first = await Trainer.create({ config: config(4), data: loader(), encoder, outDir: dir, statePlacement });
      expect(first.modules.optimizer.placement).toBe(statePlacement === 'host' ? 'host' : 'device');
      await first.run();
      first.dispose();
      const second = await Trainer.create({ config: config(8), data: loader(), encoder, outDir: dir, resume: dir, statePlacement });
      expect(second.step).toBe(4);
      await second.run();
      const b = await weightsOf(second);
      second.dispose();
      for (const [name, value] of a) {
        const other = b.get(name)!;
        const worst = Math.max(...value.map((v, i) => Math.abs(v - other[i])));
        expect(worst, name).toBeLessThanOrEqual(1e-6);
      }
      expect(listCheckpoints(join(dir, 'checkpoints')).length).toBe(2); // keepLast
      encoder.dispose();
    });
  }

  it('keeps the live tensor count and memory flat over 50 steps', async () => {
    const encoder = standInEncoder();
    const counts: number[] = [];
    const rss: number[] = [];
    const events: number[] = [];
    const onEvent = (event: { type: string; step: number }) => {
      if (event.type !== 'step') return;
      events.push(event.step);
      // After 20 warm-up steps (kernels compiled, WASM heap grown), over the next 50.
      if (event.step >= 20) {
        counts.push(liveTensors());
        rss.push(process.memoryUsage().rss);
      }
    };
    const trainer = await Trainer.create({ config: { ...config(70), checkpointEvery: 1000 }, data: loader(), encoder, outDir: tempDir(), onEvent });
    await trainer.run();
    expect(events.length).toBe(70);
    expect(new Set(counts).size).toBe(1);
    // RSS wobbles with the allocator and WASM's heap grows in chunks; it must not keep growing:
    // the peak of the last 25 steps stays within 40 MB of the peak of the first 25.
    const half = Math.floor(rss.length / 2);
    expect(Math.max(...rss.slice(half)) - Math.max(...rss.slice(0, half))).toBeLessThan(40e6);
    trainer.dispose();
    encoder.dispose();
  });
});

it('refuses to resume from something that does not exist', async () => {
  await expect(
    Trainer.create({ config: config(2), data: loader(), encoder: standInEncoder(), outDir: tempDir(), resume: join(tmpdir(), 'no-such-run-xyz') }),
  ).rejects.toThrow(/cannot resume: .*no-such-run-xyz does not exist/);
  const empty = tempDir();
  await expect(Trainer.create({ config: config(2), data: loader(), encoder: standInEncoder(), outDir: tempDir(), resume: empty })).rejects.toThrow(
    /no checkpoint-<step>\.safetensors/,
  );
});

it('refuses an output folder it cannot write before training', async () => {
  const blocker = join(tempDir(), 'a-file');
  writeFileSync(blocker, 'x');
  await expect(Trainer.create({ config: config(2), data: loader(), encoder: standInEncoder(), outDir: join(blocker, 'run') })).rejects.toThrow(
    /output folder .* is not writable/,
  );
  chmodSync(blocker, 0o644);
  expect(existsSync(blocker)).toBe(true);
});

it('stops on a non-finite loss naming the step and the part, keeping the last good checkpoint', async () => {
  const bad: TargetEncoder = { embedDim: 8, encode: (images) => tf.fill([images.shape[0], 16, 8], NaN) };
  const dir = tempDir();
  const trainer = await Trainer.create({ config: config(3), data: loader(), encoder: bad, outDir: dir });
  await expect(trainer.run()).rejects.toThrow(/pixelrepa alignment loss is NaN/);
  trainer.dispose();
  expect(listCheckpoints(join(dir, 'checkpoints'))).toEqual([]);
});

it('writes checkpoints whose metadata describe the run', async () => {
  const dir = tempDir();
  const trainer = await Trainer.create({ config: config(2), data: loader(), encoder: standInEncoder(), outDir: dir });
  await trainer.run();
  trainer.dispose();
  const [path] = listCheckpoints(join(dir, 'checkpoints'));
  const { info, tensors } = readCheckpoint(path);
  expect(info.step).toBe(2);
  expect(info.config.objective).toBe('pixelrepa');
  expect([...tensors.keys()].some((k) => k.startsWith('model.masked_transformer_adapter.'))).toBe(true);
  expect(tensors.has('model_ema1.pos_embed')).toBe(true);
});
