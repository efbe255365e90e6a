import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLoader } from '../loader/data-loader.js';
import type { Uint8Batch } from '../loader/batch.js';
import { imageFolder } from './image-folder.js';
import { buildMessyFolder } from './test-images.js';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelrepa-folder-'));
  root = join(dir, 'train');
  await buildMessyFolder(root);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readEpoch(workers: number, warnings: string[]) {
  const folder = await imageFolder(root, { size: 16, workers, warn: (line) => warnings.push(line) });
  const loader = new DataLoader(folder, { batchSize: 5, seed: 1, flip: true, concurrency: 4, warn: (line) => warnings.push(line) });
  const epoch = loader.epoch(0);
  const batches: Uint8Batch[] = [];
  try {
    for await (const batch of epoch) batches.push(batch);
  } finally {
    await folder.close();
  }
  return { folder, batches, summary: epoch.summary() };
}

describe('imageFolder + DataLoader on messy input', () => {
  it('finishes the epoch, converts odd images to RGB, skips bad files with one warning each and a summary', async () => {
    const warnings: string[] = [];
    const { folder, batches, summary } = await readEpoch(0, warnings);
    expect(folder.classes).toEqual(['apple', 'banana', 'cherry', 'durian', 'empty-class']);
    expect(batches.map((b) => b.shape)).toEqual([
      [5, 16, 16, 3],
      [5, 16, 16, 3],
      [2, 16, 16, 3],
    ]);
    expect(summary).toEqual({ total: 4, byReason: { 'not-an-image': 2, truncated: 1, unreadable: 1 } });
    const perFile = warnings.filter((line) => line.startsWith('data: skipped'));
    for (const name of ['1-truncated.jpg', '2-text.jpg', '3-empty.png', '4-gone.jpg', 'durian/.keep', 'durian', 'empty-class']) {
      expect(perFile.filter((line) => line.includes(name)).length, name).toBeGreaterThanOrEqual(1);
    }
    // 4 bad files at load, 3 at scan (.keep, durian empty, empty-class); each warned once.
    expect(perFile).toHaveLength(7);
    expect(warnings.at(-1)).toBe('data: epoch 0: 4 files skipped (2 not-an-image, 1 truncated, 1 unreadable)');
    expect(Array.from(batches.flatMap((b) => Array.from(b.labels))).sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
  });

  it('decodes on worker threads to the same bytes as on the main thread', async () => {
    const onMain = await readEpoch(0, []);
    const onWorkers = await readEpoch(2, []);
    expect(onWorkers.batches.map((b) => Array.from(b.indices))).toEqual(onMain.batches.map((b) => Array.from(b.indices)));
    onWorkers.batches.forEach((batch, i) => expect(batch.images).toEqual(onMain.batches[i].images));
    expect(onWorkers.summary).toEqual(onMain.summary);
  });
});
