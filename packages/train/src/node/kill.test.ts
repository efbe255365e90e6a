import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { initBackend } from '@pixelrepa/tensor';
import { DataLoader, proceduralDataset } from '@pixelrepa/data';
import { Trainer } from '../node.js';
import { listCheckpoints, readCheckpoint } from './checkpoint.js';

const here = dirname(fileURLToPath(import.meta.url));

it('a process killed with SIGKILL while writing checkpoints leaves the previous one loadable', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'pixelrepa-kill-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'test-support', 'checkpoint-child.ts'), outDir], {
      cwd: join(here, '..', '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let written = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        written += chunk
          .toString()
          .split('\n')
          .filter((line) => line.startsWith('checkpoint')).length;
        // Checkpoints are written back to back: after a few, a kill lands during a write or between two.
        if (written === 4) setTimeout(() => child.kill('SIGKILL'), 7);
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(written).toBeGreaterThanOrEqual(4);
    const dir = join(outDir, 'checkpoints');
    // Only complete files carry the checkpoint name; a torn write is at most a temporary file.
    const checkpoints = listCheckpoints(dir);
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    for (const path of checkpoints) expect(readCheckpoint(path).info.step).toBeGreaterThan(0);
    expect(readdirSync(dir).every((name) => /^checkpoint-\d+\.safetensors$/.test(name) || name.includes('.tmp'))).toBe(true);
    await initBackend('cpu');
    const resumed = await Trainer.create({
      config: { model: 'JiT-Tiny/4', steps: 10_000, batchSize: 2 },
      data: new DataLoader(proceduralDataset({ imageSize: 16, length: 64 }), { batchSize: 2, seed: 1 }),
      outDir,
      resume: outDir,
    });
    expect(resumed.step).toBe(readCheckpoint(checkpoints[0]).info.step);
    resumed.dispose();
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
