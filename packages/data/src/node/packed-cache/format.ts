/**
 * The packed cache: center-cropped images stored as raw bytes so later epochs skip decoding.
 *
 *   <out>/index.json        this description (PackedCacheIndex)
 *   <out>/labels.bin        [N] int32 little-endian labels, in sample order
 *   <out>/shard-00000.bin   [count, size, size, 3] uint8 NHWC, samples firstIndex … firstIndex+count−1
 *   …
 *
 * Every file's SHA-256 is in the index; readers check them before using a file.
 */
export const packedCacheFormat = 'pixelrepa-packed-images';
export const packedCacheVersion = 1;

export interface PackedShard {
  file: string;
  /** Index of the shard's first sample. */
  firstIndex: number;
  count: number;
  bytes: number;
  sha256: string;
}

export interface PackedCacheIndex {
  format: typeof packedCacheFormat;
  version: typeof packedCacheVersion;
  /** Side of the square images. */
  imageSize: number;
  channels: 3;
  layout: 'NHWC uint8';
  /** How images were made square: ADM center crop. */
  crop: 'adm-center-crop';
  classes: string[];
  /** Samples per class. */
  counts: number[];
  total: number;
  labels: { file: string; bytes: number; sha256: string };
  shards: PackedShard[];
  /** Source files left out while preparing, by reason. */
  skipped: { total: number; byReason: Record<string, number> };
  source: string;
  createdAt: string;
}

export const indexFileName = 'index.json';
export const labelsFileName = 'labels.bin';

export function shardFileName(shard: number): string {
  return `shard-${String(shard).padStart(5, '0')}.bin`;
}

/** Checks the parts of an index a reader relies on; throws a message naming the first problem. */
export function validatePackedIndex(index: PackedCacheIndex, where: string): void {
  const fail = (what: string) => {
    throw new Error(`${where}: ${what}; was it written by prepare() of @pixelrepa/data? re-run prepare to rebuild it`);
  };
  if (index.format !== packedCacheFormat) fail(`format is ${JSON.stringify(index.format)}, expected "${packedCacheFormat}"`);
  if (index.version !== packedCacheVersion) fail(`version ${index.version} is not supported (this reader knows ${packedCacheVersion})`);
  if (!(Number.isInteger(index.imageSize) && index.imageSize > 0)) fail(`imageSize ${index.imageSize} is not a positive integer`);
  if (!Array.isArray(index.classes) || !Array.isArray(index.shards)) fail('classes or shards is missing');
  const imageBytes = index.imageSize * index.imageSize * 3;
  let next = 0;
  for (const shard of index.shards) {
    if (shard.firstIndex !== next) fail(`${shard.file} starts at sample ${shard.firstIndex}, expected ${next}`);
    if (shard.bytes !== shard.count * imageBytes) fail(`${shard.file} should hold ${shard.count * imageBytes} bytes, index says ${shard.bytes}`);
    next += shard.count;
  }
  if (next !== index.total) fail(`shards hold ${next} samples, index says total ${index.total}`);
  if (index.labels.bytes !== index.total * 4) fail(`labels file should hold ${index.total * 4} bytes, index says ${index.labels.bytes}`);
}
