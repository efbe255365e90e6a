// The fuzz suite: seeded mutations of real files per format (safetensors, .pth, .npz, .npy and
// the bare pickle) must each parse or throw a FormatError — never another exception, a hang or a
// blow-up of memory. Each case is timed and the process's RSS is sampled after it.
//
// `npm test` runs FUZZ_CASES (default 400) cases per format in about half a minute;
// `npm run fuzz -w @pixelrepa/io` runs 3000 per format and prints the figures quoted in docs/io.md.
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

const CASES = Number(process.env.FUZZ_CASES ?? 400);
const REPORT = process.env.FUZZ_CASES !== undefined || process.env.DEBUG_MUTATIONS !== undefined;
/** A case slower than this is a hang, not a slow parse (this is not a speed test: see `npm run bench`). */
const HANG_MS = 5000;
/** RSS may grow this much over the run: a bomb that got through costs gigabytes. */
const RSS_GROWTH = 1024 * 2 ** 20;
const TIMEOUT = Math.max(120_000, CASES * 200);

/** Byte changes laid over an original file, so variants of a 4 MB file cost no copies. */
type Patch = Map<number, number>;

interface Variant {
  size: number;
  patch: Patch;
  label: string;
}

function patchedSource(original: Uint8Array, { size, patch }: Variant): ByteSource {
  return {
    size,
    read(offset, length) {
      const out = original.slice(offset, Math.min(offset + length, size));
      for (const [position, value] of patch) if (position >= offset && position < offset + out.length) out[position - offset] = value;
      return out;
    },
  };
}

function patched(original: Uint8Array, variant: Variant): Uint8Array {
  return patchedSource(original, variant).read(0, variant.size);
}

/** Reads a fixture as a plain Uint8Array (Buffer.slice would share memory with the original). */
function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** Values that break parsers when written into length and offset fields. */
function interestingInteger(random: () => number, near: number): number {
  const values = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, near - 1, near + 1, near * 2, Math.floor(random() * 2 ** 32)];
  return values[Math.floor(random() * values.length)];
}

/**
 * Seeded mutators over [start, end) of a file of `size` bytes, each a Patch (plus a size for
 * truncations): byte flips, little-endian integer fields set to edge values, a run of bytes copied
 * elsewhere (duplicated structure), and truncations (half of them in the first 4 KiB).
 */
function mutator(random: () => number, size: number) {
  const at = (start: number, end: number) => start + Math.floor(random() * Math.max(1, end - start));
  return {
    flips(start: number, end: number): Variant {
      const patch: Patch = new Map();
      const count = 1 + Math.floor(random() * 4);
      for (let i = 0; i < count; i++) patch.set(at(start, end), Math.floor(random() * 256));
      return { size, patch, label: `flips ${[...patch].join(' ')}` };
    },
    integer(start: number, end: number): Variant {
      const width = [2, 4, 8][Math.floor(random() * 3)];
      const position = at(start, Math.max(start + 1, end - width));
      const value = interestingInteger(random, size);
      const patch: Patch = new Map();
      for (let i = 0; i < width; i++) patch.set(position + i, i < 4 ? (value >>> (8 * i)) & 0xff : 0);
      return { size, patch, label: `integer ${value} (${width} bytes) at ${position}` };
    },
    splice(original: Uint8Array, start: number, end: number): Variant {
      const length = 1 + Math.floor(random() * 64);
      const from = at(start, end);
      const to = at(start, end);
      const patch: Patch = new Map();
      for (let i = 0; i < length && to + i < size && from + i < size; i++) patch.set(to + i, original[from + i]);
      return { size, patch, label: `splice ${length} bytes from ${from} to ${to}` };
    },
    truncate(): Variant {
      const cut = random() < 0.5 ? Math.floor(random() * Math.min(size, 4096)) : Math.floor(random() * size);
      return { size: cut, patch: new Map(), label: `truncated at ${cut}` };
    },
  };
}

/** Draws `count` variants from weighted generators. */
function draw(random: () => number, count: number, generators: Array<[number, () => Variant]>): Variant[] {
  const total = generators.reduce((sum, [weight]) => sum + weight, 0);
  return Array.from({ length: count }, () => {
    let pick = random() * total;
    for (const [weight, generate] of generators) {
      pick -= weight;
      if (pick < 0) return generate();
    }
    return generators[generators.length - 1][1]();
  });
}

interface FuzzReport {
  format: string;
  cases: number;
  parsed: number;
  formatErrors: number;
  slowestMs: number;
  slowest: string;
  peakRssMiB: number;
  rssGrowthMiB: number;
  commonestErrors: Array<[string, number]>;
}

/**
 * Runs every case; each must parse or throw FormatError. Both outcomes must occur (so the
 * mutations neither all miss the parser nor all break the file at once), no case may take longer
 * than HANG_MS, and RSS may not grow more than RSS_GROWTH over the run.
 */
function fuzz(format: string, variants: Variant[], run: (variant: Variant) => unknown): FuzzReport {
  const unexpected: string[] = [];
  const reasons = new Map<string, number>();
  let parsed = 0;
  let slowestMs = 0;
  let slowest = '';
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  for (const variant of variants) {
    const start = performance.now();
    try {
      run(variant);
      parsed++;
    } catch (error) {
      if (!(error instanceof FormatError)) {
        unexpected.push(`${variant.label}: ${(error as Error)?.stack ?? String(error)}`);
      } else {
        const reason = error.reason.replace(/\d+/g, 'N').slice(0, 60);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    const elapsed = performance.now() - start;
    if (elapsed > slowestMs) {
      slowestMs = elapsed;
      slowest = variant.label;
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const report: FuzzReport = {
    format,
    cases: variants.length,
    parsed,
    formatErrors: variants.length - parsed - unexpected.length,
    slowestMs: Math.round(slowestMs * 10) / 10,
    slowest,
    peakRssMiB: Math.round(peakRss / 2 ** 20),
    rssGrowthMiB: Math.round((peakRss - startRss) / 2 ** 20),
    commonestErrors: [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8),
  };
  if (REPORT) console.log(`fuzz report ${JSON.stringify(report)}`);
  expect(unexpected.slice(0, 5)).toEqual([]);
  expect(parsed, 'some variants parse').toBeGreaterThan(0);
  expect(parsed, 'some variants are refused').toBeLessThan(variants.length);
  expect(slowestMs, `slowest case (${slowest}) looks like a hang`).toBeLessThan(HANG_MS);
  expect(peakRss - startRss, 'RSS growth over the run').toBeLessThan(RSS_GROWTH);
  return report;
}

describe(`fuzz: ${CASES} seeded mutations per format, each parses or throws FormatError`, () => {
  itWithFixtures(
    'safetensors (jit-forward/inputs.safetensors)',
    ['jit-forward'],
    () => {
      const original = readBytes(join(fixtureDir('jit-forward'), 'inputs.safetensors'));
      const random = seededRandom(1);
      const headerEnd = 8 + Number(new DataView(original.buffer).getBigUint64(0, true));
      const m = mutator(random, original.length);
      const variants = draw(random, CASES, [
        [3, () => m.flips(0, headerEnd)],
        [2, () => m.integer(0, headerEnd)],
        [1, () => m.integer(0, 8)], // the header length itself
        [1, () => m.splice(original, 8, headerEnd)],
        [2, () => m.truncate()],
        [1, () => m.flips(0, original.length)],
      ]);
      fuzz('safetensors', variants, (variant) => readSafetensors(patched(original, variant)));
    },
    TIMEOUT,
  );

  it(
    'npz (stored and deflated archives of two arrays)',
    () => {
      const random = seededRandom(2);
      const arrays = {
        mu: { dtype: 'F32' as const, shape: [64], data: Float32Array.from({ length: 64 }, (_, i) => i / 7) },
        sigma: { dtype: 'F64' as const, shape: [8, 8], data: Float64Array.from({ length: 64 }, (_, i) => i % 9) },
      };
      const originals = [
        writeNpz(arrays),
        buildZip(
          Object.entries(arrays).map(([name, tensor]) => ({ name: `${name}.npy`, data: writeNpy(tensor) })),
          { deflate: true },
        ),
      ];
      const half = Math.ceil(CASES / 2);
      originals.forEach((original, which) => {
        const m = mutator(random, original.length);
        const variants = draw(random, which === 0 ? half : CASES - half, [
          [3, () => m.flips(0, original.length)],
          [2, () => m.integer(0, original.length)],
          [1, () => m.splice(original, 0, original.length)],
          [2, () => m.truncate()],
        ]);
        fuzz(which === 0 ? 'npz (stored)' : 'npz (deflated)', variants, (variant) => readNpz(patched(original, variant)));
      });
    },
    TIMEOUT,
  );

  it(
    'npy (a Fortran-order array, mostly its header)',
    () => {
      const random = seededRandom(5);
      const original = writeNpy({ dtype: 'F64', shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, i) => i) });
      const m = mutator(random, original.length);
      const variants = draw(random, CASES, [
        [4, () => m.flips(0, 128)],
        [1, () => m.integer(0, 128)],
        [1, () => m.truncate()],
      ]);
      fuzz('npy', variants, (variant) => readNpy(patched(original, variant)));
    },
    TIMEOUT,
  );

  describeWithFixtures('pth (torch-checkpoint/checkpoint-last.pth)', ['torch-checkpoint'], () => {
    const original = readBytes(join(fixtureDir('torch-checkpoint'), 'checkpoint-last.pth'));
    const source = bytesSource(original);
    const directory = readZipDirectory(source, 'pth');
    const pickleEntry = directory.entries.find((entry) => entry.name.endsWith('/data.pkl'))!;
    const pickleStart = entryDataOffset(source, pickleEntry, 'pth');
    const pickleEnd = pickleStart + pickleEntry.compressedSize;
    const pickle = original.subarray(pickleStart, pickleEnd);
    const directoryStart = directory.entries.reduce((max, entry) => Math.max(max, entry.limit), 0);
    const centralPickleHeader = Buffer.from(original.buffer).lastIndexOf(pickleEntry.name) - 46;

    /** A mutation of the pickle with its CRC fixed up, so it reaches the unpickler and the tensor reader. */
    function withFixedCrc(variant: Variant): Variant {
      const bytes = pickle.slice();
      for (const [position, value] of variant.patch) if (position >= pickleStart && position < pickleEnd) bytes[position - pickleStart] = value;
      const crc = crc32(bytes);
      const patch = new Map(variant.patch);
      for (const at of [pickleEntry.localHeaderOffset + 14, centralPickleHeader + 16]) {
        for (let i = 0; i < 4; i++) patch.set(at + i, (crc >>> (8 * i)) & 0xff);
      }
      return { ...variant, patch, label: `pickle ${variant.label}` };
    }

    it(
      'the pickle alone, through the restricted unpickler',
      () => {
        const random = seededRandom(3);
        const m = mutator(random, pickle.length);
        const variants = draw(random, CASES, [
          [4, () => m.flips(0, pickle.length)],
          [2, () => m.integer(0, pickle.length)],
          [2, () => m.splice(pickle, 0, pickle.length)],
          [1, () => m.truncate()],
        ]);
        fuzz('pickle', variants, (variant) =>
          unpickle(patched(pickle, variant), { findGlobal: torchGlobalResolver(), persistentLoad: storageLoader(), format: 'pth' }),
        );
      },
      TIMEOUT,
    );

    it(
      'the whole file: pickle (CRC fixed up), zip directory, local headers, truncations, anywhere',
      () => {
        const random = seededRandom(4);
        const m = mutator(random, original.length);
        const variants = draw(random, CASES, [
          [3, () => withFixedCrc(m.flips(pickleStart, pickleEnd))],
          [1, () => withFixedCrc(m.integer(pickleStart, pickleEnd))],
          [1, () => withFixedCrc(m.splice(original, pickleStart, pickleEnd))],
          [2, () => m.flips(directoryStart, original.length)],
          [1, () => m.integer(directoryStart, original.length)],
          [1, () => m.flips(0, pickleStart + 30)],
          [2, () => m.truncate()],
          [1, () => m.flips(0, original.length)],
        ]);
        fuzz('pth', variants, (variant) => readTorchCheckpoint(patchedSource(original, variant)));
      },
      TIMEOUT,
    );
  });
});
