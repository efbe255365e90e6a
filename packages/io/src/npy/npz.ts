import { toByteSource, type ByteSource } from '../byte-source.js';
import type { RawTensor } from '../dtypes.js';
import { maxBytesOf, type ReadLimits } from '../limits.js';
import { readZipDirectory } from '../zip/central-directory.js';
import { ZipEntryReader } from '../zip/entry-reader.js';
import { writeStoredZip } from '../zip/write-stored.js';
import { readNpyFrom } from './read.js';
import { writeNpy } from './write.js';

/**
 * Reads an .npz archive (numpy `savez` or `savez_compressed`): a zip of .npy files.
 * Names lose their `.npy` suffix. Each entry is read (or inflated) straight into its array's
 * buffer, so peak memory is the arrays plus a few MiB; `maxBytes` (default 64 GiB) bounds the
 * arrays' total and refuses larger ones before allocating them.
 *
 * @example
 * const stats = readNpz(bytes);
 * stats.get('mu');    // F32 [2048]
 * stats.get('sigma'); // F64 [2048, 2048]
 */
export function readNpz(input: Uint8Array | ByteSource, options: ReadLimits = {}): Map<string, RawTensor> {
  const source = toByteSource(input);
  const directory = readZipDirectory(source, 'npz');
  const arrays = new Map<string, RawTensor>();
  let budget = maxBytesOf(options);
  for (const entry of directory.entries) {
    if (entry.name.endsWith('/')) continue; // a directory entry
    const reader = new ZipEntryReader(source, entry, 'npz', { verifyCrc: true });
    const array = readNpyFrom(reader, `npz entry "${entry.name}"`, budget);
    reader.finish(); // nothing after the data, and the CRC matches
    budget -= array.data.byteLength;
    arrays.set(entry.name.replace(/\.npy$/, ''), array);
  }
  return arrays;
}

/**
 * Writes arrays as an uncompressed .npz (what `numpy.savez` writes), in the given order.
 *
 * @example
 * const bytes = writeNpz({ mu, sigma }); // the FID reference-statistics layout
 */
export function writeNpz(arrays: Map<string, RawTensor> | Record<string, RawTensor>): Uint8Array {
  const entries = arrays instanceof Map ? [...arrays.entries()] : Object.entries(arrays);
  return writeStoredZip(
    entries.map(([name, tensor]) => ({ name: `${name}.npy`, data: writeNpy(tensor) })),
    'npz',
  );
}
