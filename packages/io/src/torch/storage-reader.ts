import { readRangeInto, type ByteSource } from '../byte-source.js';
import { allocateTypedArray, bytesOf, dtypeBytes, elementCount, typedArrayFrom, typedArrayView, type RawTensor, type TypedArray } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { checkMaxBytes } from '../limits.js';
import { gatherStrided, isContiguous, stridedExtent } from '../strided.js';
import type { ZipDirectory, ZipEntry } from '../zip/central-directory.js';
import { STORED, entryDataOffset } from '../zip/entry-data.js';
import { ZipEntryReader } from '../zip/entry-reader.js';
import { StorageRef, TensorRef } from './references.js';

const FORMAT = 'pth';

/** What the reader will do with one `<top>/data/<key>` entry, planned before anything is allocated. */
interface EntryPlan {
  entry: ZipEntry;
  /** Bytes from the start of the storage that some view reaches: inflation stops there. */
  extentBytes: number;
  /** Views not loaded yet: the inflated bytes are dropped after the last one. */
  views: number;
  dataStart?: number;
  inflated?: Uint8Array;
}

/**
 * Reads tensor data out of `<top>/data/<key>` entries, after planning every read from the
 * views the pickle holds: the total is checked against `maxBytes` and against the data the
 * views actually cover (so broadcast views cannot turn a small file into a huge allocation)
 * before anything is allocated. Stored entries (what torch writes) are read only over the
 * range a view touches, straight into the tensor's buffer; deflated entries are inflated once,
 * only as far as the furthest view reaches, and released after their last view.
 */
export class StorageReader {
  private readonly plans = new Map<string, EntryPlan>();

  constructor(
    private readonly source: ByteSource,
    private readonly directory: ZipDirectory,
    private readonly prefix: string,
    refs: Array<TensorRef | StorageRef>,
    maxBytes: number,
  ) {
    let tensorBytes = 0;
    for (const value of refs) {
      const ref = value instanceof StorageRef ? wholeStorage(value) : value;
      const entry = this.entryOf(ref);
      const elementBytes = dtypeBytes[ref.dtype];
      tensorBytes += elementCount(ref.shape) * elementBytes;
      const extentBytes = Math.max(stridedExtent(ref.storageOffset, ref.shape, ref.strides), ref.storageOffset) * elementBytes;
      const plan = this.plans.get(entry.name) ?? { entry, extentBytes: 0, views: 0 };
      plan.extentBytes = Math.max(plan.extentBytes, extentBytes);
      plan.views++;
      this.plans.set(entry.name, plan);
    }
    let viewedBytes = 0;
    let inflatedBytes = 0;
    for (const plan of this.plans.values()) {
      viewedBytes += plan.extentBytes;
      if (plan.entry.method !== STORED) inflatedBytes += plan.extentBytes;
    }
    // Views may legitimately overlap (tied weights) but not without bound: a few tensors each
    // viewing a whole storage is normal, a thousand broadcast views of it is an attack.
    const budget = 4 * viewedBytes + (1 << 20);
    if (tensorBytes > budget) {
      throw new FormatError(
        FORMAT,
        `tensors would need ${tensorBytes} bytes, more than ${budget} (4× the ${viewedBytes} bytes of storage they view): refusing (views that repeat one storage many times?)`,
        'data.pkl',
      );
    }
    checkMaxBytes(tensorBytes + inflatedBytes, maxBytes, FORMAT, inflatedBytes > 0 ? 'tensors and their inflated storages' : 'tensors', 'data.pkl');
  }

  /** The tensor as a contiguous C-order RawTensor (copied out of its strided view). */
  load(value: TensorRef | StorageRef): RawTensor {
    const ref = value instanceof StorageRef ? wholeStorage(value) : value;
    const entry = this.entryOf(ref);
    const plan = this.plans.get(entry.name);
    if (!plan) throw new Error(`StorageReader: storage "${ref.storage.key}" was not planned`); // a bug, not bad input
    const count = elementCount(ref.shape);
    const contiguous = isContiguous(ref.shape, ref.strides);
    const spanCount = contiguous ? count : Math.max(stridedExtent(ref.storageOffset, ref.shape, ref.strides) - ref.storageOffset, 0);
    const offsetBytes = ref.storageOffset * dtypeBytes[ref.dtype];
    let span: TypedArray;
    if (entry.method === STORED) {
      plan.dataStart ??= entryDataOffset(this.source, entry, FORMAT);
      span = allocateTypedArray(ref.dtype, spanCount);
      readRangeInto(this.source, plan.dataStart + offsetBytes, bytesOf(span), FORMAT, `data of zip entry "${entry.name}"`);
    } else {
      const inflated = plan.inflated ?? this.inflate(plan);
      plan.views--;
      // The last view may keep the inflated buffer itself (no copy); earlier ones copy out of it.
      span =
        plan.views === 0
          ? typedArrayView(ref.dtype, inflated.buffer, inflated.byteOffset + offsetBytes, spanCount)
          : typedArrayFrom(ref.dtype, inflated, offsetBytes, spanCount);
      plan.inflated = plan.views === 0 ? undefined : inflated;
    }
    const data = contiguous ? span : gatherStrided(ref.dtype, span, 0, ref.shape, ref.strides);
    return { dtype: ref.dtype, shape: [...ref.shape], data };
  }

  private entryOf(ref: TensorRef): ZipEntry {
    const entryName = `${this.prefix}data/${ref.storage.key}`;
    const entry = this.directory.byName.get(entryName);
    if (!entry) throw new FormatError(FORMAT, `the pickle refers to storage "${ref.storage.key}" but the zip has no entry ${entryName}`, 'data.pkl');
    if (ref.storage.byteLength > entry.uncompressedSize) {
      throw new FormatError(
        FORMAT,
        `storage "${ref.storage.key}" declares ${ref.storage.byteLength} bytes but its zip entry holds ${entry.uncompressedSize}`,
        entryName,
      );
    }
    return entry;
  }

  /** Inflates a deflated entry up to the furthest byte any view reaches, and no further. */
  private inflate(plan: EntryPlan): Uint8Array {
    const whole = plan.extentBytes === plan.entry.uncompressedSize;
    const reader = new ZipEntryReader(this.source, plan.entry, FORMAT, { verifyCrc: whole });
    const inflated = new Uint8Array(plan.extentBytes);
    reader.readInto(inflated);
    if (whole) reader.finish();
    return inflated;
  }
}

/** A storage pickled on its own (not through a tensor) reads as a 1-D tensor of its elements. */
function wholeStorage(storage: StorageRef): TensorRef {
  const count = Math.floor(storage.byteLength / dtypeBytes[storage.dtype]);
  return new TensorRef(storage, storage.dtype, 0, [count], [1]);
}
