// The readers' memory promises, measured: decompression bombs are inflated only as far as the
// tensors view, data larger than maxBytes is refused before it is allocated, and peak memory
// while reading is about the tensors returned (≤ 1.3× + a few MiB), for each format. Every file
// is made here by a small generator.
import { describe, expect, it } from 'vitest';
import type { ByteSource } from './byte-source.js';
import { FormatError } from './errors.js';
import { readNpz, writeNpz } from './npy/npz.js';
import { writeNpy } from './npy/write.js';
import { readSafetensors } from './safetensors/read.js';
import { writeSafetensors } from './safetensors/write.js';
import { PickleBuilder } from './test-support/pickle-builder.js';
import { buildZip } from './test-support/zip-builder.js';
import { readTorchCheckpoint } from './torch/checkpoint.js';

const MiB = 1 << 20;

/**
 * A ByteSource over `bytes` that counts what is read and samples the process's ArrayBuffer
 * memory at every read: readers read as they go, so the samples see their peak.
 */
function watchedSource(bytes: Uint8Array) {
  const baseline = process.memoryUsage().arrayBuffers;
  const watch = { bytesRead: 0, peak: 0 };
  const sample = () => {
    watch.peak = Math.max(watch.peak, process.memoryUsage().arrayBuffers - baseline);
  };
  const source: ByteSource = {
    size: bytes.length,
    read(offset, length) {
      sample();
      watch.bytesRead += length;
      return bytes.subarray(offset, offset + length);
    },
    readInto(offset, target) {
      sample();
      watch.bytesRead += target.length;
      target.set(bytes.subarray(offset, offset + target.length));
      sample();
    },
  };
  return { source, watch };
}

/** A torch.save zip holding one float storage of `storageFloats` zeros (deflated) and a view of its first `viewFloats`. */
function deflatedCheckpoint(storageFloats: number, viewFloats: number): Uint8Array {
  const pickle = new PickleBuilder().tensor((s) => s.storage('FloatStorage', '0', storageFloats), 0, [viewFloats], [1]).build();
  return buildZip(
    [
      { name: 'bomb/data.pkl', data: pickle },
      { name: 'bomb/data/0', data: new Uint8Array(storageFloats * 4) },
    ],
    { deflate: true },
  );
}

function expectFormatError(run: () => unknown, message: RegExp): void {
  expect(run).toThrow(FormatError);
  expect(run).toThrow(message);
}

describe('decompression bombs', () => {
  it('pth: a 4-element tensor viewing a storage that inflates to 128 MiB decodes a few MiB at most', () => {
    const file = deflatedCheckpoint(32 * MiB, 4);
    expect(file.length).toBeLessThan(512 * 1024);
    const { source, watch } = watchedSource(file);
    const tensor = readTorchCheckpoint(source).value as { data: Float32Array };
    expect([...tensor.data]).toEqual([0, 0, 0, 0]);
    // The zip tail (up to 64 KiB) and the pickle, then the first step of the stream; the rest is never touched.
    expect(watch.bytesRead).toBeLessThan(65_557 + 8 * 1024);
    expect(watch.peak).toBeLessThan(8 * MiB);
  });

  it('pth: maxBytes refuses tensors and inflated storages before allocating them', () => {
    const file = deflatedCheckpoint(4 * MiB, 4 * MiB);
    const { source, watch } = watchedSource(file);
    expectFormatError(
      () => readTorchCheckpoint(source, { maxBytes: 16 * MiB }),
      /tensors and their inflated storages would take 33554432 bytes, more than maxBytes \(16777216\)/,
    );
    expect(watch.peak).toBeLessThan(4 * MiB);
  });

  it('npz: maxBytes refuses a large array from its header, before inflating it', () => {
    const file = buildZip([{ name: 'big.npy', data: writeNpy({ dtype: 'F64', shape: [2 * MiB], data: new Float64Array(2 * MiB) }) }], { deflate: true });
    const { source, watch } = watchedSource(file);
    expectFormatError(() => readNpz(source, { maxBytes: 8 * MiB }), /array \[2097152\] of F64 would take 16777216 bytes, more than maxBytes/);
    expect(watch.peak).toBeLessThan(8 * MiB); // the header's first decoding step, never the 16 MiB array
    expect(readNpz(file, { maxBytes: 16 * MiB }).get('big')!.data.length).toBe(2 * MiB);
  });

  it('zip entries that declare more than DEFLATE can produce from their bytes are refused unread', () => {
    const npy = writeNpy({ dtype: 'F32', shape: [4], data: new Float32Array(4) });
    const file = buildZip([{ name: 'x.npy', data: npy }], { deflate: true });
    const view = new DataView(file.buffer);
    const central = file.length - 22 - 46 - 'x.npy'.length;
    view.setUint32(central + 24, 3_000_000_000, true); // uncompressed size in the central directory
    expectFormatError(() => readNpz(file), /declares 3000000000 bytes from \d+ deflated bytes, more than DEFLATE can encode/);
  });
});

describe('peak memory while reading is about the tensors returned', () => {
  const size = 64 * MiB;
  const bound = 1.3 * size + 8 * MiB;
  // Inflating leaves the decoder's step buffers (about 3 bytes per byte decoded, each step a few
  // MiB) for the garbage collector, which V8 runs once tens of MiB of them pile up: a constant,
  // whatever the array's size, that shows at this small size.
  const inflatingBound = 1.3 * size + 64 * MiB;
  const f32 = () => ({ dtype: 'F32' as const, shape: [size / 4], data: new Float32Array(size / 4).fill(0.5) });

  it('npz, deflated (numpy.savez_compressed)', () => {
    const file = buildZip([{ name: 'a.npy', data: writeNpy(f32()) }], { deflate: true });
    const { source, watch } = watchedSource(file);
    const arrays = readNpz(source);
    expect(arrays.get('a')!.data.byteLength).toBe(size);
    expect(watch.peak).toBeLessThan(inflatingBound);
  });

  it('npz, stored (numpy.savez)', () => {
    const file = writeNpz({ a: f32() });
    const { source, watch } = watchedSource(file);
    expect(readNpz(source).get('a')!.data.byteLength).toBe(size);
    expect(watch.peak).toBeLessThan(bound);
  });

  it('safetensors', () => {
    const file = writeSafetensors({ a: f32() });
    const { source, watch } = watchedSource(file);
    expect(readSafetensors(source).tensors.get('a')!.data.byteLength).toBe(size);
    expect(watch.peak).toBeLessThan(bound);
  });

  it('pth, stored (what torch.save writes)', () => {
    for (const deflate of [false]) {
      const pickle = new PickleBuilder().tensor((s) => s.storage('FloatStorage', '0', size / 4), 0, [size / 4], [1]).build();
      const storage = new Uint8Array(new Float32Array(size / 4).fill(0.5).buffer);
      const file = buildZip(
        [
          { name: 'run/data.pkl', data: pickle },
          { name: 'run/data/0', data: storage },
        ],
        { deflate, align: 64 },
      );
      const { source, watch } = watchedSource(file);
      expect((readTorchCheckpoint(source).value as { data: Float32Array }).data.byteLength).toBe(size);
      expect(watch.peak, deflate ? 'deflated' : 'stored').toBeLessThan(deflate ? inflatingBound : bound);
    }
  });
});
