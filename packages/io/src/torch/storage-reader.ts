import type { ByteSource } from '../byte-source.js';
import { dtypeBytes, elementCount, typedArrayFrom, type RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { gatherStrided, isContiguous, stridedExtent } from '../strided.js';
import type { ZipDirectory, ZipEntry } from '../zip/central-directory.js';
import { STORED, entryDataOffset, readStoredRange, readZipEntry } from '../zip/entry-data.js';
import type { TensorRef } from './references.js';

const FORMAT = 'pth';

/**
 * Reads tensor data out of `<top>/data/<key>` entries. Stored entries (what torch writes)
 * are read only over the range a tensor's view touches, so loading one top-level key of a
 * 20 GB checkpoint reads just that key's bytes. Deflated entries are inflated once each.
 */
export class StorageReader {
  private readonly inflated = new Map<string, Uint8Array>();
  private readonly dataOffsets = new Map<string, number>();
  /** Bytes handed out so far, against a budget tied to the file size (see `take`). */
  private produced = 0;
  private readonly budget: number;

  constructor(
    private readonly source: ByteSource,
    private readonly directory: ZipDirectory,
    private readonly prefix: string,
  ) {
    // Views may legitimately overlap (tied weights) but not without bound: a few tensors
    // each viewing a whole storage is normal, a thousand broadcast views of it is an attack.
    this.budget = 4 * source.size + (1 << 20);
  }

  /** The tensor as a contiguous C-order RawTensor (copied out of its strided view). */
  load(ref: TensorRef): RawTensor {
    const entryName = `${this.prefix}data/${ref.storage.key}`;
    const entry = this.directory.byName.get(entryName);
    if (!entry) throw new FormatError(FORMAT, `the pickle refers to storage "${ref.storage.key}" but the zip has no entry ${entryName}`, 'data.pkl');
    if (ref.storage.byteLength > entry.uncompressedSize) {
      throw new FormatError(FORMAT, `storage "${ref.storage.key}" declares ${ref.storage.byteLength} bytes but its zip entry holds ${entry.uncompressedSize}`, entryName);
    }
    const elementBytes = dtypeBytes[ref.dtype];
    const count = elementCount(ref.shape);
    this.take(count * elementBytes, entryName);
    const first = ref.storageOffset;
    const end = Math.max(stridedExtent(ref.storageOffset, ref.shape, ref.strides), first);
    const bytes = this.bytesOf(entry, first * elementBytes, (end - first) * elementBytes);
    const span = typedArrayFrom(ref.dtype, bytes, 0, end - first);
    const data = isContiguous(ref.shape, ref.strides) && span.length === count ? span : gatherStrided(ref.dtype, span, 0, ref.shape, ref.strides);
    return { dtype: ref.dtype, shape: [...ref.shape], data };
  }

  private take(byteCount: number, where: string): void {
    this.produced += byteCount;
    if (this.produced > this.budget) {
      throw new FormatError(FORMAT, `tensors would need more than ${this.budget} bytes, far more than the ${this.source.size}-byte file: refusing (views that repeat one storage many times?)`, where);
    }
  }

  private bytesOf(entry: ZipEntry, offset: number, length: number): Uint8Array {
    if (entry.method === STORED) {
      let dataStart = this.dataOffsets.get(entry.name);
      if (dataStart === undefined) {
        dataStart = entryDataOffset(this.source, entry, FORMAT);
        this.dataOffsets.set(entry.name, dataStart);
      }
      return readStoredRange(this.source, entry, dataStart, offset, length, FORMAT);
    }
    let data = this.inflated.get(entry.name);
    if (!data) {
      data = readZipEntry(this.source, entry, FORMAT, { verifyCrc: true });
      this.inflated.set(entry.name, data);
    }
    return data.subarray(offset, offset + length);
  }
}
