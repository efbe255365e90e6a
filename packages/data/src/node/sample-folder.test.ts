import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageInputError } from './image-files.js';
import { checkSampleSettings, isWrittenImage, sampleFileName, writePngAtomic } from './sample-folder.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-sample-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a sample folder', () => {
  it('names images by index first, padded so that a sorted listing is the sample order', () => {
    expect(sampleFileName(12, 4, 100)).toBe('000012-class0004.png');
    expect(sampleFileName(3, 999, 12_345_678)).toBe('00000003-class0999.png');
    const names = [5, 50, 500].map((i) => sampleFileName(i, 0, 1000));
    expect([...names].sort()).toEqual(names);
  });

  it('writes PNGs atomically and tells complete images of the right size from anything else', async () => {
    const pixels = Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => i % 251);
    const path = join(dir, 'a.png');
    await writePngAtomic(path, pixels, 8, 8);
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
    expect(await isWrittenImage(path, 8)).toBe(true);
    expect(await isWrittenImage(path, 16)).toBe(false);
    expect(await isWrittenImage(join(dir, 'missing.png'), 8)).toBe(false);
    const truncated = join(dir, 'truncated.png');
    writeFileSync(truncated, readFileSync(path).subarray(0, 60));
    expect(await isWrittenImage(truncated, 8)).toBe(false);
  });

  it('records the settings once and refuses others, naming each difference', () => {
    checkSampleSettings(dir, { seed: 0, cfg: 2.9 });
    expect(JSON.parse(readFileSync(join(dir, 'samples.json'), 'utf8'))).toEqual({ seed: 0, cfg: 2.9 });
    expect(() => checkSampleSettings(dir, { seed: 0, cfg: 2.9 })).not.toThrow();
    const error = (() => {
      try {
        checkSampleSettings(dir, { seed: 1, cfg: 2.9, steps: 50 });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ImageInputError);
    expect(error?.message).toContain('seed: 0 there, 1 now; steps: undefined there, 50 now');
    writeFileSync(join(dir, 'samples.json'), '{');
    expect(() => checkSampleSettings(dir, { seed: 0 })).toThrow(/is not valid JSON/);
  });
});
