import { readSafetensors, readSafetensorsMetadata, type ReadSafetensorsOptions, type SafetensorsFile } from '../safetensors/read.js';
import { writeSafetensors } from '../safetensors/write.js';
import { readTorchCheckpoint, type ReadTorchCheckpointOptions } from '../torch/checkpoint.js';
import type { CheckpointValue } from '../torch/materialize.js';
import type { RawTensor } from '../dtypes.js';
import type { ReadLimits } from '../limits.js';
import { readNpz, writeNpz } from '../npy/npz.js';
import { writeFileAtomic } from './atomic-write.js';
import { withFileSource } from './file-source.js';

/** Reads a safetensors file from disk (header first, then each tensor's range). */
export function readSafetensorsFile(path: string, options: ReadSafetensorsOptions = {}): SafetensorsFile {
  return withFileSource(path, (source) => readSafetensors(source, options));
}

/** The `__metadata__` of a safetensors file on disk, reading only its header. */
export function readSafetensorsMetadataFile(path: string): Record<string, string> {
  return withFileSource(path, (source) => readSafetensorsMetadata(source));
}

/** Writes tensors as a safetensors file, atomically (temporary file + rename). */
export function writeSafetensorsFile(path: string, tensors: Map<string, RawTensor> | Record<string, RawTensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, writeSafetensors(tensors, metadata));
}

/**
 * Reads a torch.save checkpoint from disk, reading only the zip directory, the pickle and
 * the tensors that are kept (`select: ['model_ema1']` skips everything else).
 *
 * @example
 * const { model_ema1 } = readTorchCheckpointFile('checkpoint-last.pth', { select: ['model_ema1'], widenHalf: true });
 */
export function readTorchCheckpointFile(path: string, options: ReadTorchCheckpointOptions = {}): { [key: string]: CheckpointValue } {
  return withFileSource(path, (source) => readTorchCheckpoint(source, options));
}

/** Reads an .npz file from disk (e.g. FID reference statistics). */
export function readNpzFile(path: string, options: ReadLimits = {}): Map<string, RawTensor> {
  return withFileSource(path, (source) => readNpz(source, options));
}

/** Writes arrays as an uncompressed .npz file, atomically. */
export function writeNpzFile(path: string, arrays: Map<string, RawTensor> | Record<string, RawTensor>): void {
  writeFileAtomic(path, writeNpz(arrays));
}
