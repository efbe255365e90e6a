import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLoader } from '../../loader/data-loader.js';
import { DataIntegrityError, type SampleSource } from '../../loader/sample-source.js';
import { imageFolder } from '../image-folder.js';
import { buildMessyFolder } from '../test-images.js';
import type { PackedCacheIndex } from './format.js';
import { openPackedCache, verifyPackedCache } from './packed-cache.js';
import { prepare } from './prepare.js';

let dir: string;
let source: string;
let out: string;
let index: PackedCacheIndex;
const size = 16;
const imageBytes = size * size * 3;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelrepa-packed-'));
  source = join(dir, 'train');
  out = join(dir, 'cache');
  await buildMessyFolder(source);
  // 5 images per shard → 3 shards for the 12 good images.
  index = await prepare(source, { size, out, shardBytes: 5 * imageBytes, workers: 0, warn: () => {} });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function allSamples(dataset: SampleSource) {
  const loader = new DataLoader(dataset, { batchSize: 64, shuffle: false, warn: () => {} });
  for await (const batch of loader.epoch(0)) return batch;
  throw new Error('no batch');
}

describe('prepare + openPackedCache', () => {
  it('writes center-cropped uint8 shards with classes, counts, checksums and the skip summary', async () => {
    expect(index).toMatchObject({
      imageSize: 16,
      total: 12,
      classes: ['apple', 'banana', 'cherry', 'durian', 'empty-class'],
      counts: [5, 5, 2, 0, 0],
      skipped: { total: 7, byReason: { 'not-an-image': 2, truncated: 1, unreadable: 1, 'unsupported-extension': 1, 'empty-class': 2 } },
    });
    expect(index.shards.map((s) => [s.file, s.firstIndex, s.count, s.bytes])).toEqual([
      ['shard-00000.bin', 0, 5, 5 * imageBytes],
      ['shard-00001.bin', 5, 5, 5 * imageBytes],
      ['shard-00002.bin', 10, 2, 2 * imageBytes],
    ]);
    expect(index.shards.every((s) => /^[0-9a-f]{64}$/.test(s.sha256))).toBe(true);
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8'))).toEqual(index);
    expect(JSON.parse(await readFile(join(out, 'classes.json'), 'utf8')).classes).toEqual(index.classes);
  });

  it('reads back exactly what decoding the folder gives, in any order, shard by shard', async () => {
    const folder = await imageFolder(source, { size, workers: 0, classIndexPath: false, warn: () => {} });
    const decoded = await allSamples(folder);
    const cache = await openPackedCache(out);
    const packed = await allSamples(cache);
    expect(packed.images).toEqual(decoded.images);
    expect(Array.from(packed.labels)).toEqual(Array.from(decoded.labels));
    const shuffled = new DataLoader(cache, { batchSize: 4, seed: 3, flip: true, warn: () => {} });
    const seen = [];
    for await (const batch of shuffled.epoch(1)) seen.push(...batch.indices);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    await cache.close();
    await expect(verifyPackedCache(out)).resolves.toMatchObject({ total: 12 });
  });

  it('stops with a DataIntegrityError naming the shard when its bytes no longer match the checksum', async () => {
    const damaged = join(dir, 'damaged');
    await prepare(source, { size, out: damaged, shardBytes: 5 * imageBytes, workers: 0, warn: () => {} });
    const handle = await open(join(damaged, 'shard-00001.bin'), 'r+');
    await handle.write(Uint8Array.of(1, 2, 3), 0, 3, 100);
    await handle.close();
    const cache = await openPackedCache(damaged);
    await expect(cache.load(0)).resolves.toMatchObject({ label: 0 });
    const error = await cache.load(7).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataIntegrityError);
    expect((error as Error).message).toMatch(/shard-00001\.bin: SHA-256 is [0-9a-f]+, the index expects [0-9a-f]+; .*re-run prepare/);
    await expect(allSamples(cache)).rejects.toThrow(/shard-00001\.bin/);
    await expect(verifyPackedCache(damaged)).rejects.toThrow(/shard-00001\.bin/);
    await cache.close();
  });

  it('refuses a cache with a missing or truncated file, or a foreign index, at open', async () => {
    const broken = join(dir, 'broken');
    await prepare(source, { size, out: broken, shardBytes: 5 * imageBytes, workers: 0, warn: () => {} });
    await truncate(join(broken, 'shard-00002.bin'), 10);
    await expect(openPackedCache(broken)).rejects.toThrow(/shard-00002\.bin: expected 1536 bytes, found 10 bytes; re-run prepare/);
    await writeFile(join(broken, 'index.json'), JSON.stringify({ format: 'something-else' }));
    await expect(openPackedCache(broken)).rejects.toThrow(/format is "something-else", expected "pixelrepa-packed-images"/);
    await expect(openPackedCache(join(dir, 'nowhere'))).rejects.toThrow(/create the cache with prepare/);
  });
});
