import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawTensor } from '../dtypes.js';
import { FormatError } from '../errors.js';
import { fixtureDir } from '../test-support/fixtures.js';
import { itWithFixtures } from '../test-support/fixture-suite.js';
import { flattenTensors } from '../torch/flatten.js';
import { writeFileAtomic } from './atomic-write.js';
import { openFileSource } from './file-source.js';
import { readNpzFile, readSafetensorsFile, readTorchCheckpointFile, writeNpzFile, writeSafetensorsFile } from './files.js';

const scratch = mkdtempSync(join(tmpdir(), 'pixelrepa-io-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const weights: Record<string, RawTensor> = {
  'blocks.0.attn.qkv.weight': { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
  'y_embedder.embedding_table.weight': { dtype: 'BF16', shape: [1], data: new Uint16Array([0x3f80]) },
};

describe('@pixelrepa/io/node', () => {
  it('writes and reads safetensors files, leaving no temporary files behind', () => {
    const path = join(scratch, 'weights.safetensors');
    writeSafetensorsFile(path, weights, { step: '10' });
    writeSafetensorsFile(path, weights, { step: '11' }); // replaces the old file
    expect(readdirSync(scratch)).toEqual(['weights.safetensors']);
    const { tensors, metadata } = readSafetensorsFile(path, { widenHalf: true });
    expect(metadata).toEqual({ step: '11' });
    expect(tensors.get('blocks.0.attn.qkv.weight')).toEqual(weights['blocks.0.attn.qkv.weight']);
    expect(tensors.get('y_embedder.embedding_table.weight')).toEqual({ dtype: 'F32', shape: [1], data: new Float32Array([1]) });
  });

  it('keeps the old file and removes the temporary one when a write fails', () => {
    const path = join(scratch, 'kept.bin');
    writeFileSync(path, 'old');
    expect(() => writeFileAtomic(join(scratch, 'missing-dir', 'x.bin'), new Uint8Array(3))).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(scratch).filter((name) => name.includes('.tmp-'))).toEqual([]);
    rmSync(path);
  });

  itWithFixtures('reads a checkpoint from disk, only the selected top-level key', ['torch-checkpoint'], () => {
    const checkpoint = readTorchCheckpointFile(join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth'), { select: ['model_ema1'] });
    const tensors = flattenTensors(checkpoint.model_ema1);
    expect(tensors.get('blocks.0.attn.qkv.weight')?.shape).toEqual([192, 64]);
  });

  it('reads and writes .npz files', () => {
    const path = join(scratch, 'stats.npz');
    const stats = {
      mu: { dtype: 'F32' as const, shape: [2], data: new Float32Array([1, 2]) },
      sigma: { dtype: 'F64' as const, shape: [1, 1], data: new Float64Array([3]) },
    };
    writeNpzFile(path, stats);
    expect(readNpzFile(path)).toEqual(new Map(Object.entries(stats)));
    rmSync(path);
  });

  it('reads byte ranges from a file source and reports truncated files as FormatError', () => {
    const path = join(scratch, 'short.safetensors');
    writeFileSync(path, new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    const source = openFileSource(path);
    expect(source.size).toBe(9);
    expect(source.read(8, 1)).toEqual(new Uint8Array([123]));
    source.close();
    expect(() => readSafetensorsFile(path)).toThrow(FormatError);
    rmSync(path);
  });
});
