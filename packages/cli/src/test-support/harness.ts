// Helpers for the CLI tests: captured output, a tiny model and encoder, the CLI as a child process.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SmallViT, type SmallViTConfig } from '@pixelrepa/encoders';
import { writeSafetensorsFile } from '@pixelrepa/io/node';
import { rawStateDict } from '@pixelrepa/nn';
import { createRng, tf } from '@pixelrepa/tensor';
import type { CommandContext } from '../context.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..', '..', '..');
export const mainPath = join(here, '..', 'main.ts');

/** A context whose stdout and stderr are kept in strings. */
export function bufferContext(cwd: string): { context: CommandContext; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const context: CommandContext = {
    stdout: {
      write: (text: string) => {
        out += text;
      },
    },
    stderr: {
      write: (text: string) => {
        err += text;
      },
    },
    cwd,
    handleSignals: false,
  };
  return { context, stdout: () => out, stderr: () => err };
}

/** A JiT small enough to train a few steps on the cpu backend in a test: 16 px, 4×4 patches, 3 blocks of width 64. */
export const tinyModelFlags = [
  '--model',
  'JiT-Tiny/4',
  '--img_size',
  '16',
  '--model_overrides',
  JSON.stringify({ depth: 3, hiddenSize: 64, numHeads: 2, bottleneckDim: 16, inContextLen: 4, inContextStart: 1 }),
];

export const tinyEncoderConfig: SmallViTConfig = { imgSize: 16, patchSize: 4, embedDim: 32, depth: 1, numHeads: 2, mlpRatio: 2, numClasses: 10 };

/** Writes a random SmallViT as the quickstart stores its encoder (config in the `pixelrepa` metadata). */
export async function writeTinyEncoder(path: string, config: SmallViTConfig = tinyEncoderConfig): Promise<void> {
  const encoder = new SmallViT(config, { random: createRng(7) });
  const state = encoder.stateDict();
  writeSafetensorsFile(path, await rawStateDict(state), { pixelrepa: JSON.stringify({ model: 'SmallViT', config }) });
  tf.dispose([...state.values()]);
  encoder.dispose();
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `pixelrepa <args>` as a child process (through tsx, from the repository root);
 * `onStderr` sees the error stream as it arrives and may signal the child; after `timeoutMs` it is killed.
 */
export function runCliChild(
  args: string[],
  {
    onStderr,
    env,
    timeoutMs = 100_000,
  }: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr, child);
  });
  // A child that hangs must not outlive the test.
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
