import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertToRgb } from '../convert-to-rgb.js';
import { SampleSkipError } from '../loader/sample-source.js';
import { decodeImage, decodeImageFile } from './decode-image.js';
import { encodeImage, patternRgb, writeBadFile } from './test-images.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelrepa-decode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function skipReason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SampleSkipError);
  return (error as SampleSkipError).reason;
}

describe('decodeImage (sharp, then PIL convert("RGB") rules)', () => {
  it('decodes lossless PNG and WebP exactly and JPEG closely', async () => {
    const expected = patternRgb(20, 12);
    expect((await decodeImage(await encodeImage('png', 20, 12))).data).toEqual(expected);
    expect((await decodeImage(await encodeImage('webp', 20, 12))).data).toEqual(expected);
    const jpeg = await decodeImage(await encodeImage('jpeg', 20, 12));
    const meanError = jpeg.data.reduce((sum, v, i) => sum + Math.abs(v - expected[i]), 0) / expected.length;
    expect([jpeg.width, jpeg.height]).toEqual([20, 12]);
    expect(meanError).toBeLessThan(4);
  });

  it('replicates grey (JPEG and PNG) and drops the alpha of grey + alpha', async () => {
    for (const kind of ['grey-png', 'grey-alpha-png', 'grey-jpeg'] as const) {
      const image = await decodeImage(await encodeImage(kind, 9, 5));
      for (let i = 0; i < image.data.length; i += 3) expect([image.data[i + 1], image.data[i + 2]]).toEqual([image.data[i], image.data[i]]);
    }
    const greyPng = await decodeImage(await encodeImage('grey-png', 9, 5));
    expect(Array.from(greyPng.data.filter((_, i) => i % 3 === 0))).toEqual(Array.from(patternRgb(9, 5).filter((_, i) => i % 3 === 0)));
  });

  it('drops RGBA alpha without compositing, keeping the colour of transparent pixels', async () => {
    const image = await decodeImage(await encodeImage('rgba-png', 8, 4));
    expect(image.data).toEqual(patternRgb(8, 4));
  });

  it('expands palette images', async () => {
    const image = await decodeImage(await encodeImage('palette-png', 6, 6));
    expect(Array.from(image.data.subarray(0, 3))).toEqual([200, 30, 40]);
    expect(Array.from(image.data.subarray(6 * 3, 6 * 3 + 3))).toEqual([10, 220, 90]);
  });

  it("converts CMYK with PIL's formula from the ink values, not through an ICC profile", async () => {
    for (const kind of ['cmyk-tiff', 'cmyk-jpeg'] as const) {
      const bytes = await encodeImage(kind, 10, 6);
      const inks = await sharp(bytes).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer();
      const expected = convertToRgb({ width: 10, height: 6, mode: 'CMYK', bitDepth: 8, data: new Uint8Array(inks) });
      expect((await decodeImage(bytes)).data).toEqual(expected.data);
    }
  });

  it('clips 16-bit grey to 255 like PIL, and keeps the high byte of 16-bit colour', async () => {
    const grey = await decodeImage(await encodeImage('grey16-png', 8, 8));
    const values = Array.from({ length: 64 }, (_, i) => Math.min((i * 97) % 1024, 255));
    expect(Array.from(grey.data.filter((_, i) => i % 3 === 0))).toEqual(values);
    const colour = await decodeImage(await encodeImage('rgb16-png', 8, 8));
    expect(colour.data).toEqual(patternRgb(8, 8));
  });

  it('rejects truncated, non-image, empty and unreadable files with a reason', async () => {
    const cases = { 'cut.jpg': 'truncated', 'notes.jpg': 'text', 'zero.png': 'empty', 'gone.jpg': 'dangling-link', 'dir.jpg': 'folder' } as const;
    for (const [name, kind] of Object.entries(cases)) await writeBadFile(join(dir, name), kind);
    expect(await skipReason(decodeImageFile(join(dir, 'cut.jpg')))).toBe('truncated');
    expect(await skipReason(decodeImageFile(join(dir, 'notes.jpg')))).toBe('not-an-image');
    expect(await skipReason(decodeImageFile(join(dir, 'zero.png')))).toBe('not-an-image');
    expect(await skipReason(decodeImageFile(join(dir, 'gone.jpg')))).toBe('unreadable');
    expect(await skipReason(decodeImageFile(join(dir, 'dir.jpg')))).toBe('unreadable');
    const error = await decodeImageFile(join(dir, 'cut.jpg')).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/cut\.jpg: cannot decode jpeg \(/);
  });
});
