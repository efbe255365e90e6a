// Image bombs: a few-KB PNG whose header says 16 000 × 16 000 (made here, chunk by chunk) is
// skipped as 'too-large' from its header, on the main thread and on decoding workers alike.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLoader } from '../loader/data-loader.js';
import { SampleSkipError } from '../loader/sample-source.js';
import { decodeImage, DEFAULT_MAX_PIXELS } from './decode-image.js';
import { imageFolder } from './image-folder.js';
import { encodeImage, writeImage } from './test-images.js';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG whose header claims width × height; its data holds a few rows of zeros (what a bomb compresses to). */
function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const rows = deflateSync(new Uint8Array((width * 3 + 1) * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

async function skipOf(promise: Promise<unknown>): Promise<SampleSkipError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SampleSkipError);
  return error as SampleSkipError;
}

describe('pixel budget per image', () => {
  it('skips a 16 000 × 16 000 PNG of a few KB as too-large, from its header', async () => {
    const bomb = pngBomb(16_000, 16_000);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const error = await skipOf(decodeImage(bomb, 'bomb.png'));
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/bomb\.png: 16000×16000 pixels \(256\.0 Mpx\) exceed the budget of 67\.1 Mpx per image/);
    expect(16_000 * 16_000).toBeGreaterThan(DEFAULT_MAX_PIXELS);
  });

  it('is configurable: a 64 × 48 image is too large for 1000 pixels and fine for the default', async () => {
    const png = await encodeImage('png', 64, 48);
    expect((await skipOf(decodeImage(png, 'small.png', { maxPixels: 1000 }))).reason).toBe('too-large');
    expect((await decodeImage(png, 'small.png', { maxPixels: 64 * 48 })).width).toBe(64);
    expect((await decodeImage(png, 'small.png')).height).toBe(48);
  });

  describe('in an image folder', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pixelrepa-bomb-'));
      for (let i = 0; i < 3; i++) await writeImage(join(dir, 'train', 'a', `${i}.png`), 'png', 32, 24, i);
      await writeFile(join(dir, 'train', 'a', 'bomb.png'), pngBomb(16_000, 16_000));
      await writeFile(join(dir, 'train', 'a', 'wide.png'), pngBomb(100_000, 1000));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each([0, 2])('skips and counts bombs like other bad files (%i workers)', async (workers) => {
      const warnings: string[] = [];
      const folder = await imageFolder(join(dir, 'train'), { size: 16, workers, classIndexPath: false, warn: (line) => warnings.push(line) });
      const loader = new DataLoader(folder, { batchSize: 5, seed: 0, flip: false, warn: (line) => warnings.push(line) });
      const epoch = loader.epoch(0);
      let images = 0;
      try {
        for await (const batch of epoch) images += batch.shape[0];
      } finally {
        await folder.close();
      }
      expect(images).toBe(3);
      expect(epoch.summary()).toEqual({ total: 2, byReason: { 'too-large': 2 } });
      expect(warnings.filter((line) => /bomb\.png: 16000×16000 pixels .* \[too-large\]/.test(line))).toHaveLength(1);
      expect(warnings.filter((line) => /wide\.png: 100000×1000 pixels .* \[too-large\]/.test(line))).toHaveLength(1);
    });
  });
});
