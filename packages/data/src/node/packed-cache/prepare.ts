import { createHash } from 'node:crypto';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { resolve, join } from 'node:path';
import { DataLoader } from '../../loader/data-loader.js';
import { formatSkipSummary } from '../../loader/skip-report.js';
import { imageFolder } from '../image-folder.js';
import { indexFileName, labelsFileName, packedCacheFormat, packedCacheVersion, shardFileName, type PackedCacheIndex, type PackedShard } from './format.js';

export interface PrepareOptions {
  /** Side of the square images (ADM center crop). */
  size: number;
  /** Output folder (created). */
  out: string;
  /** Target shard size in bytes. Default 256 MiB. */
  shardBytes?: number;
  /** Decoding threads. Default as in imageFolder. */
  workers?: number;
  /** Pixel budget per image; bigger images are skipped as 'too-large'. Default as in imageFolder (64 Mpx). */
  maxPixels?: number;
  /** Warnings and progress lines. Default console.warn. */
  warn?: (line: string) => void;
  /** Called after each batch with the samples written so far. */
  onProgress?: (written: number, total: number) => void;
}

/**
 * Decodes and center-crops every image of the image folder `srcDir` once and writes them as
 * uint8 shards with an index (classes, counts, SHA-256 of every file), so training epochs read
 * bytes instead of decoding JPEGs. Bad files are skipped with one warning each, as in training.
 * Files are written under temporary names and renamed, the index last.
 *
 * ```ts
 * const index = await prepare('imagenet/train', { size: 256, out: 'cache/in256' });
 * const train = await openPackedCache('cache/in256');
 * ```
 */
export async function prepare(srcDir: string, options: PrepareOptions): Promise<PackedCacheIndex> {
  const { size, out } = options;
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const folder = await imageFolder(srcDir, { size, workers: options.workers, maxPixels: options.maxPixels, classIndexPath: join(out, 'classes.json'), warn });
  await mkdir(out, { recursive: true });
  const imageBytes = size * size * 3;
  const perShard = Math.max(1, Math.floor((options.shardBytes ?? 256 * 2 ** 20) / imageBytes));
  const loader = new DataLoader(folder, { batchSize: Math.min(perShard, 64), shuffle: false, flip: false, warn });
  const epoch = loader.epoch(0);
  const shards: PackedShard[] = [];
  const labels: number[] = [];
  let shard: { handle: FileHandle; hash: ReturnType<typeof createHash>; count: number; file: string } | undefined;
  const finishShard = async () => {
    if (!shard) return;
    await shard.handle.close();
    await rename(join(out, `${shard.file}.tmp`), join(out, shard.file));
    const firstIndex = labels.length - shard.count;
    shards.push({ file: shard.file, firstIndex, count: shard.count, bytes: shard.count * imageBytes, sha256: shard.hash.digest('hex') });
    shard = undefined;
  };
  try {
    for await (const batch of epoch) {
      for (let i = 0; i < batch.shape[0]; i++) {
        if (!shard) {
          const file = shardFileName(shards.length);
          shard = { handle: await open(join(out, `${file}.tmp`), 'w'), hash: createHash('sha256'), count: 0, file };
        }
        const bytes = batch.images.subarray(i * imageBytes, (i + 1) * imageBytes);
        await shard.handle.write(bytes);
        shard.hash.update(bytes);
        shard.count++;
        labels.push(batch.labels[i]);
        if (shard.count === perShard) await finishShard();
      }
      options.onProgress?.(labels.length, folder.length);
    }
    await finishShard();
  } finally {
    await shard?.handle.close();
    await folder.close();
  }
  const labelBytes = new Uint8Array(Int32Array.from(labels).buffer);
  const labelsHandle = await open(join(out, `${labelsFileName}.tmp`), 'w');
  await labelsHandle.write(labelBytes);
  await labelsHandle.close();
  await rename(join(out, `${labelsFileName}.tmp`), join(out, labelsFileName));
  const counts = new Array<number>(folder.classes.length).fill(0);
  for (const label of labels) counts[label]++;
  const loadSkips = epoch.summary();
  const byReason: Record<string, number> = { ...folder.scanSummary.byReason };
  for (const [reason, count] of Object.entries(loadSkips.byReason)) byReason[reason] = (byReason[reason] ?? 0) + count;
  const index: PackedCacheIndex = {
    format: packedCacheFormat,
    version: packedCacheVersion,
    imageSize: size,
    channels: 3,
    layout: 'NHWC uint8',
    crop: 'adm-center-crop',
    classes: [...folder.classes],
    counts,
    total: labels.length,
    labels: { file: labelsFileName, bytes: labelBytes.length, sha256: createHash('sha256').update(labelBytes).digest('hex') },
    shards,
    skipped: { total: loadSkips.total + folder.scanSummary.total, byReason },
    source: resolve(srcDir),
    createdAt: new Date().toISOString(),
  };
  const indexPath = join(out, indexFileName);
  const indexHandle = await open(`${indexPath}.tmp`, 'w');
  await indexHandle.writeFile(JSON.stringify(index, null, 1) + '\n');
  await indexHandle.close();
  await rename(`${indexPath}.tmp`, indexPath);
  warn(`data: prepared ${index.total} images of ${index.classes.length} classes in ${shards.length} shards at ${out}; ${formatSkipSummary(index.skipped)}`);
  return index;
}
