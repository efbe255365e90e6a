// Mutation tests: thousands of truncated and corrupted variants of real files must each
// either parse or throw a FormatError — never another exception, a hang or a huge allocation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource, type ByteSource } from './byte-source.js';
import { FormatError } from './errors.js';
import { readNpz, writeNpz } from './npy/npz.js';
import { readNpy } from './npy/read.js';
import { writeNpy } from './npy/write.js';
import { unpickle } from './pickle/unpickler.js';
import { readSafetensors } from './safetensors/read.js';
import { fixtureDir } from './test-support/fixtures.js';
import { describeWithFixtures, itWithFixtures } from './test-support/fixture-suite.js';
import { seededRandom } from './test-support/bytes.js';
import { buildZip } from './test-support/zip-builder.js';
import { readTorchCheckpoint } from './torch/checkpoint.js';
import { storageLoader, torchGlobalResolver } from './torch/globals.js';
import { readZipDirectory } from './zip/central-directory.js';
import { crc32 } from './zip/crc32.js';
import { entryDataOffset } from './zip/entry-data.js';

/** Byte changes laid over an original file, so variants of a 4 MB file cost no copies. */
type Patch = Map<number, number>;

function patchedSource(original: Uint8Array, size: number, patch: Patch): ByteSource {
  return {
    size,
    read(offset, length) {
      const out = original.slice(offset, Math.min(offset + length, size));
      for (const [position, value] of patch) if (position >= offset && position < offset + out.length) out[position - offset] = value;
      return out;
    },
  };
}

function patched(original: Uint8Array, size: number, patch: Patch): Uint8Array {
  return patchedSource(original, size, patch).read(0, size);
}

/** Reads a fixture as a plain Uint8Array (Buffer.slice would share memory with the original). */
function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/**
 * Runs every variant and checks each parsed or threw FormatError. Also checks that both
 * outcomes occur, so the mutations neither all miss the parser nor all break the file at once.
 * DEBUG_MUTATIONS=1 prints how many parsed, the slowest variant and the commonest errors.
 */
function expectParsedOrFormatError(variants: Array<{ label: string; run: () => unknown }>): void {
  const unexpected: string[] = [];
  let parsed = 0;
  const reasons = new Map<string, number>();
  let slowest = 0;
  for (const { label, run } of variants) {
    const start = performance.now();
    try {
      run();
      parsed++;
    } catch (error) {
      if (!(error instanceof FormatError)) {
        unexpected.push(`${label}: ${(error as Error)?.stack ?? String(error)}`);
      } else {
        const reason = error.reason.replace(/\d+/g, 'N').slice(0, 70);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    slowest = Math.max(slowest, performance.now() - start);
  }
  if (process.env.DEBUG_MUTATIONS) console.log(parsed, variants.length, slowest.toFixed(1), [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 25));
  expect(unexpected.slice(0, 5)).toEqual([]);
  expect(parsed).toBeGreaterThan(0);
  expect(parsed).toBeLessThan(variants.length);
}

/** `count` patches of 1–4 random bytes at positions drawn from [start, end). */
function randomPatches(random: () => number, count: number, start: number, end: number): Patch[] {
  return Array.from({ length: count }, () => {
    const patch: Patch = new Map();
    const flips = 1 + Math.floor(random() * 4);
    for (let i = 0; i < flips; i++) patch.set(start + Math.floor(random() * (end - start)), Math.floor(random() * 256));
    return patch;
  });
}

function truncations(size: number, count: number, random: () => number): number[] {
  const evenly = Array.from({ length: count / 2 }, (_, i) => Math.floor((i * size) / (count / 2)));
  const near = Array.from({ length: count / 2 }, () => Math.floor(random() * Math.min(size, 4096)));
  return [...evenly, ...near, size - 1];
}

describe('bad input: every mutated variant parses or throws FormatError', () => {
  itWithFixtures('safetensors: 1000 truncations and 1000 byte flips of jit-forward/inputs.safetensors', ['jit-forward'], () => {
    const original = readBytes(join(fixtureDir('jit-forward'), 'inputs.safetensors'));
    const random = seededRandom(1);
    const headerEnd = 8 + Number(new DataView(original.buffer).getBigUint64(0, true));
    const variants = [
      ...truncations(original.length, 1000, random).map((size) => ({ label: `truncated at ${size}`, run: () => readSafetensors(patched(original, size, new Map())) })),
      ...randomPatches(random, 800, 0, headerEnd).map((patch) => ({ label: `header flips ${[...patch]}`, run: () => readSafetensors(patched(original, original.length, patch)) })),
      ...randomPatches(random, 200, 0, original.length).map((patch) => ({ label: `flips ${[...patch]}`, run: () => readSafetensors(patched(original, original.length, patch)) })),
    ];
    expect(variants.length).toBeGreaterThanOrEqual(2000);
    expectParsedOrFormatError(variants);
  });

  it('npz: 1000 variants each of a stored and a deflated archive', () => {
    const random = seededRandom(2);
    const arrays = {
      mu: { dtype: 'F32' as const, shape: [64], data: Float32Array.from({ length: 64 }, (_, i) => i / 7) },
      sigma: { dtype: 'F64' as const, shape: [8, 8], data: Float64Array.from({ length: 64 }, (_, i) => i % 9) },
    };
    const stored = writeNpz(arrays);
    const deflated = buildZip(Object.entries(arrays).map(([name, tensor]) => ({ name: `${name}.npy`, data: writeNpy(tensor) })), { deflate: true });
    const variants = [stored, deflated].flatMap((original, which) => [
      ...truncations(original.length, 300, random).map((size) => ({ label: `${which} truncated at ${size}`, run: () => readNpz(patched(original, size, new Map())) })),
      ...randomPatches(random, 700, 0, original.length).map((patch) => ({ label: `${which} flips ${[...patch]}`, run: () => readNpz(patched(original, original.length, patch)) })),
    ]);
    expect(variants.length).toBeGreaterThanOrEqual(2000);
    expectParsedOrFormatError(variants);
  });

  it('npy: 1000 variants of a Fortran-order array, mostly in the header', () => {
    const random = seededRandom(5);
    const original = writeNpy({ dtype: 'F64', shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, i) => i) });
    const variants = [
      ...truncations(original.length, 200, random).map((size) => ({ label: `truncated at ${size}`, run: () => readNpy(patched(original, size, new Map())) })),
      ...randomPatches(random, 800, 0, 128).map((patch) => ({ label: `flips ${[...patch]}`, run: () => readNpy(patched(original, original.length, patch)) })),
    ];
    expectParsedOrFormatError(variants);
  });

  describeWithFixtures('pth (checkpoint-last.pth)', ['torch-checkpoint'], () => {
    const original = readBytes(join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth'));
    const source = bytesSource(original);
    const directory = readZipDirectory(source, 'pth');
    const pickleEntry = directory.entries.find((entry) => entry.name.endsWith('/data.pkl'))!;
    const pickleStart = entryDataOffset(source, pickleEntry, 'pth');
    const pickleEnd = pickleStart + pickleEntry.compressedSize;
    const pickle = original.subarray(pickleStart, pickleEnd);
    const directoryStart = directory.entries.reduce((max, entry) => Math.max(max, entry.limit), 0);
    const centralPickleHeader = Buffer.from(original.buffer).lastIndexOf(pickleEntry.name) - 46;

    /** Mutations of the pickle with its CRC fixed up, so they reach the unpickler and the tensor reader. */
    function withFixedCrc(patch: Patch): Patch {
      const bytes = pickle.slice();
      for (const [position, value] of patch) bytes[position - pickleStart] = value;
      const crc = crc32(bytes);
      const fixed = new Map(patch);
      for (const at of [pickleEntry.localHeaderOffset + 14, centralPickleHeader + 16]) {
        for (let i = 0; i < 4; i++) fixed.set(at + i, (crc >>> (8 * i)) & 0xff);
      }
      return fixed;
    }

    it('1000 mutations of the pickle, run straight through the restricted unpickler', () => {
      const random = seededRandom(3);
      const run = (bytes: Uint8Array) => () => unpickle(bytes, { findGlobal: torchGlobalResolver(), persistentLoad: storageLoader(), format: 'pth' });
      const variants = [
        ...randomPatches(random, 800, 0, pickle.length).map((patch) => ({ label: `pickle flips ${[...patch]}`, run: run(patched(pickle, pickle.length, patch)) })),
        ...truncations(pickle.length, 200, random).map((size) => ({ label: `pickle truncated at ${size}`, run: run(pickle.subarray(0, size)) })),
      ];
      expect(variants.length).toBeGreaterThanOrEqual(1000);
      expectParsedOrFormatError(variants);
    });

    it('1200 mutations of the whole file: pickle (CRC fixed up), zip directory, truncations, anywhere', () => {
      const random = seededRandom(4);
      const read = (size: number, patch: Patch) => () => readTorchCheckpoint(patchedSource(original, size, patch));
      const variants = [
        ...randomPatches(random, 350, pickleStart, pickleEnd).map((patch) => ({ label: `pickle ${[...patch]}`, run: read(original.length, withFixedCrc(patch)) })),
        ...randomPatches(random, 300, directoryStart, original.length).map((patch) => ({ label: `directory ${[...patch]}`, run: read(original.length, patch) })),
        ...randomPatches(random, 100, 0, pickleStart + 30).map((patch) => ({ label: `local header ${[...patch]}`, run: read(original.length, patch) })),
        ...truncations(original.length, 300, random).map((size) => ({ label: `truncated at ${size}`, run: read(size, new Map()) })),
        ...randomPatches(random, 150, 0, original.length).map((patch) => ({ label: `anywhere ${[...patch]}`, run: read(original.length, patch) })),
      ];
      expect(variants.length).toBeGreaterThanOrEqual(1200);
      expectParsedOrFormatError(variants);
    });
  });
});
