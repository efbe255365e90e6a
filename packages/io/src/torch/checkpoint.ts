import { toByteSource, type ByteSource } from '../byte-source.js';
import { isRawTensor } from '../dtypes.js';
import { nameOf } from '../describe-value.js';
import { FormatError } from '../errors.js';
import { unpickle } from '../pickle/unpickler.js';
import { openTorchArchive } from './archive.js';
import { storageLoader, torchGlobalResolver } from './globals.js';
import { maxBytesOf, type ReadLimits } from '../limits.js';
import { materialize, type CheckpointValue } from './materialize.js';
import { collectTensorRefs } from './tensor-refs.js';
import { StorageReader } from './storage-reader.js';

export interface ReadTorchCheckpointOptions extends ReadLimits {
  /**
   * Top-level keys to load (e.g. `['model_ema1']`); the others are left out of the result
   * and their tensor data is never read. Default: everything.
   */
  select?: string[];
  /** Widen F16 and BF16 tensors to F32 (exact). Default false: keep the 16-bit patterns. */
  widenHalf?: boolean;
}

/**
 * Reads a `torch.save` checkpoint (the zip format of torch ≥ 1.6) into plain data: dicts
 * become objects (or Maps when keys are not all strings), lists and tuples arrays, tensors
 * contiguous `{dtype, shape, data}` RawTensors. The pickle runs in a restricted unpickler
 * that knows only tensors, plain data, OrderedDict and argparse.Namespace; anything else
 * (e.g. `os.system`) is refused with a FormatError and nothing is ever executed.
 *
 * A checkpoint that is not a dict with string keys (a bare tensor or list) comes back as
 * `{ value: … }`, so the result is always an object.
 *
 * Pass bytes (browsers) or a ByteSource; in Node, `readTorchCheckpointFile` reads from disk
 * without loading the whole file.
 *
 * @example
 * const checkpoint = readTorchCheckpoint(bytes, { select: ['model_ema1'], widenHalf: true });
 * const weights = flattenTensors(checkpoint.model_ema1); // Map<'blocks.0.attn.qkv.weight', RawTensor>
 */
export function readTorchCheckpoint(input: ByteSource | Uint8Array, options: ReadTorchCheckpointOptions = {}): { [key: string]: CheckpointValue } {
  const source = toByteSource(input);
  const maxBytes = maxBytesOf(options);
  const archive = openTorchArchive(source, maxBytes);
  const root = unpickle(archive.pickle, {
    findGlobal: torchGlobalResolver(),
    persistentLoad: storageLoader(),
    format: 'pth',
    where: `zip entry "${archive.prefix}data.pkl"`,
  });
  const selected = options.select ? selectKeys(root, options.select) : root;
  // Every tensor read is planned (and checked against maxBytes) before any is allocated.
  const reader = new StorageReader(source, archive.directory, archive.prefix, collectTensorRefs(selected), maxBytes);
  const tree = materialize(selected, (ref) => reader.load(ref), { widenHalf: options.widenHalf });
  if (
    tree === null ||
    typeof tree !== 'object' ||
    Array.isArray(tree) ||
    tree instanceof Map ||
    tree instanceof Set ||
    tree instanceof Uint8Array ||
    isRawTensor(tree)
  ) {
    // Not a dict of named things (a bare tensor or list was saved): wrap it so callers always get an object.
    return { value: tree };
  }
  return tree as { [key: string]: CheckpointValue };
}

function selectKeys(root: unknown, keys: string[]): Map<unknown, unknown> {
  if (!(root instanceof Map)) throw new FormatError('pth', 'select needs a checkpoint that is a dict, but this one is not', 'data.pkl');
  const missing = keys.filter((key) => !root.has(key));
  if (missing.length > 0) {
    const present: string[] = [];
    for (const key of root.keys()) {
      if (present.length === 20) {
        present.push(`… ${root.size - 20} more`);
        break;
      }
      present.push(nameOf(key));
    }
    throw new FormatError(
      'pth',
      `checkpoint has no top-level key ${missing.map((k) => `"${nameOf(k)}"`).join(', ')} (it has: ${present.join(', ')})`,
      'data.pkl',
    );
  }
  return new Map(keys.map((key) => [key, root.get(key)]));
}
