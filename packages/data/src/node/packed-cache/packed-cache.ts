import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Sample, SampleSource } from '../../loader/sample-source.js';
import { DataIntegrityError } from '../../loader/sample-source.js';
import { indexFileName, validatePackedIndex, type PackedCacheIndex, type PackedShard } from './format.js';
import { sha256File } from '@pixelrepa/io/node';

export interface OpenPackedCacheOptions {
  /**
   * Check each shard's SHA-256 (streamed) before its first sample is read. Default true.
   * A mismatch stops the epoch with a `DataIntegrityError` naming the shard.
   */
  verify?: boolean;
}

/**
 * A packed cache written by `prepare`, as a `SampleSource`: each sample is one positional read
 * of size·size·3 bytes from its shard, so any order (shuffled, sharded) streams with constant
 * memory; no shard is ever loaded whole.
 */
export class PackedCache implements SampleSource {
  readonly dir: string;
  readonly index: PackedCacheIndex;
  readonly classes: readonly string[];
  private readonly labels: Int32Array;
  private readonly verify: boolean;
  private readonly handles = new Map<number, Promise<FileHandle>>();

  constructor(dir: string, index: PackedCacheIndex, labels: Int32Array, options: OpenPackedCacheOptions) {
    this.dir = dir;
    this.index = index;
    this.classes = index.classes;
    this.labels = labels;
    this.verify = options.verify ?? true;
  }

  get length(): number {
    return this.index.total;
  }

  get imageSize(): number {
    return this.index.imageSize;
  }

  labelOf(index: number): number {
    return this.labels[index];
  }

  async load(index: number): Promise<Sample> {
    if (!(Number.isInteger(index) && index >= 0 && index < this.index.total)) {
      throw new Error(`packed cache ${this.dir}: index ${index} is outside [0, ${this.index.total})`);
    }
    const shardNumber = this.shardOf(index);
    const shard = this.index.shards[shardNumber];
    const handle = await this.handle(shardNumber);
    const size = this.index.imageSize;
    const bytes = size * size * 3;
    const data = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(data, 0, bytes, (index - shard.firstIndex) * bytes);
    if (bytesRead !== bytes) throw new DataIntegrityError(`${join(this.dir, shard.file)} ended early at sample ${index}; re-run prepare`);
    return { image: { width: size, height: size, data }, label: this.labels[index] };
  }

  describe(index: number): string {
    return `${this.dir} sample ${index}`;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(
      handles.map((h) =>
        h.then(
          (handle) => handle.close(),
          () => undefined,
        ),
      ),
    );
  }

  /** The shard holding sample `index` (binary search over first indices). */
  private shardOf(index: number): number {
    const shards = this.index.shards;
    let low = 0;
    let high = shards.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (shards[middle].firstIndex <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private handle(shardNumber: number): Promise<FileHandle> {
    let handle = this.handles.get(shardNumber);
    if (!handle) {
      const shard = this.index.shards[shardNumber];
      handle = (this.verify ? verifyShard(this.dir, shard) : Promise.resolve()).then(() => open(join(this.dir, shard.file), 'r'));
      this.handles.set(shardNumber, handle);
    }
    return handle;
  }
}

/** Streams a shard through SHA-256 and compares with the index. */
async function verifyShard(dir: string, shard: PackedShard): Promise<void> {
  const path = join(dir, shard.file);
  const found = await sha256File(path);
  if (found !== shard.sha256) {
    throw new DataIntegrityError(`${path}: SHA-256 is ${found}, the index expects ${shard.sha256}; the cache is damaged: re-run prepare`);
  }
}

/**
 * Opens a packed cache: reads and checks the index, checks every file's size and the labels'
 * checksum now, and each shard's checksum before first use (see `verify`).
 */
export async function openPackedCache(dir: string, options: OpenPackedCacheOptions = {}): Promise<PackedCache> {
  const indexPath = join(dir, indexFileName);
  let index: PackedCacheIndex;
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8')) as PackedCacheIndex;
  } catch (error) {
    throw new Error(`openPackedCache: cannot read ${indexPath} (${(error as Error).message}); create the cache with prepare(srcDir, {size, out})`);
  }
  validatePackedIndex(index, indexPath);
  for (const file of [index.labels, ...index.shards]) {
    const path = join(dir, file.file);
    const found = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (found !== file.bytes) {
      throw new DataIntegrityError(`${path}: expected ${file.bytes} bytes, found ${found < 0 ? 'no file' : `${found} bytes`}; re-run prepare`);
    }
  }
  const labelBytes = await readFile(join(dir, index.labels.file));
  if ((options.verify ?? true) && createHash('sha256').update(labelBytes).digest('hex') !== index.labels.sha256) {
    throw new DataIntegrityError(`${join(dir, index.labels.file)}: SHA-256 does not match the index; re-run prepare`);
  }
  const labels = new Int32Array(labelBytes.buffer.slice(labelBytes.byteOffset, labelBytes.byteOffset + labelBytes.byteLength));
  return new PackedCache(dir, index, labels, options);
}

/** Checks every file of a packed cache against its SHA-256, one shard at a time. Throws on the first mismatch. */
export async function verifyPackedCache(dir: string): Promise<PackedCacheIndex> {
  const cache = await openPackedCache(dir, { verify: true });
  for (const shard of cache.index.shards) await verifyShard(dir, shard);
  return cache.index;
}
