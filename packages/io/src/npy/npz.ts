import { toByteSource, type ByteSource } from '../byte-source.js';
import type { RawTensor } from '../dtypes.js';
import { readZipDirectory } from '../zip/central-directory.js';
import { readZipEntry } from '../zip/entry-data.js';
import { writeStoredZip } from '../zip/write-stored.js';
import { readNpy } from './read.js';
import { writeNpy } from './write.js';

/**
 * Reads an .npz archive (numpy `savez` or `savez_compressed`): a zip of .npy files.
 * Names lose their `.npy` suffix.
 *
 * @example
 * const stats = readNpz(bytes);
 * stats.get('mu');    // F32 [2048]
 * stats.get('sigma'); // F64 [2048, 2048]
 */
export function readNpz(input: Uint8Array | ByteSource): Map<string, RawTensor> {
  const source = toByteSource(input);
  const directory = readZipDirectory(source, 'npz');
  const arrays = new Map<string, RawTensor>();
  for (const entry of directory.entries) {
    if (entry.name.endsWith('/')) continue; // a directory entry
    const bytes = readZipEntry(source, entry, 'npz', { verifyCrc: true });
    arrays.set(entry.name.replace(/\.npy$/, ''), readNpy(bytes, `npz entry "${entry.name}"`));
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
  return writeStoredZip(entries.map(([name, tensor]) => ({ name: `${name}.npy`, data: writeNpy(tensor) })), 'npz');
}
