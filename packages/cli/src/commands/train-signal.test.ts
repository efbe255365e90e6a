import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listCheckpoints, readCheckpoint } from '@pixelrepa/train/node';
import { runCliChild, tinyModelFlags, writeTinyEncoder } from '../test-support/harness.js';
import { initBackend } from '@pixelrepa/tensor';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pixelrepa-cli-signal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each(['SIGTERM', 'SIGINT'] as const)('%s finishes the step, writes a checkpoint at the step reached and exits with 0', async (signal) => {
  await initBackend('cpu');
  const encoder = join(dir, 'encoder.safetensors');
  await writeTinyEncoder(encoder);
  const out = join(dir, signal);
  let sent = false;
  const run = await runCliChild(
    [
      'train',
      '--backend',
      'cpu',
      ...tinyModelFlags,
      '--data',
      'procedural',
      '--data_length',
      '40',
      '--batch_size',
      '4',
      '--encoder',
      encoder,
      '--steps',
      '100000',
      '--checkpoint_every',
      '100000',
      '--output_dir',
      out,
    ],
    {
      onStderr: (text, child) => {
        // The first progress line comes after the first step; stop while later steps run.
        if (!sent && /train \d+\/100000/.test(text)) {
          sent = true;
          setTimeout(() => child.kill(signal), 200);
        }
      },
    },
  );
  expect(run.stderr).toContain(`${signal}: finishing this step and writing a checkpoint`);
  expect(run.code).toBe(0);
  const steps = readFileSync(join(out, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { step: number }).step);
  const last = steps[steps.length - 1];
  const [checkpoint] = listCheckpoints(join(out, 'checkpoints'));
  expect(checkpoint).toBe(join(out, 'checkpoints', `checkpoint-${last}.safetensors`));
  expect(readCheckpoint(checkpoint).info.step).toBe(last);
  expect(run.stderr).toContain(`stopped at step ${last} (${signal})`);
});
