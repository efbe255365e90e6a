import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend } from '@pixelrepa/tensor';
import { liveTensors } from '@pixelrepa/tensor/testing';
import type { SmallViT } from '@pixelrepa/encoders';
import { firstAndLast, loadEncoder, trainWithObjective } from '../src/train.js';

let encoder: SmallViT;
beforeAll(async () => {
  await initBackend('wasm');
  encoder = loadEncoder();
});
afterAll(() => encoder.dispose());

// The example in miniature: a DiT that is not JiT learns with either objective from @pixelrepa/align.
it.each(['repa', 'pixelrepa'] as const)('a tiny ε-prediction DiT trains with %s: both losses fall, nothing leaks', async (objective) => {
  const before = liveTensors();
  const result = await trainWithObjective(encoder, { objective, steps: 60, batchSize: 16 });
  expect(liveTensors()).toBe(before);
  const [d0, d1] = firstAndLast(result.diffusion);
  const [a0, a1] = firstAndLast(result.align);
  expect(d1).toBeLessThan(d0);
  expect(a1).toBeLessThan(a0);
});
