import { describe, expect, it } from 'vitest';
import { looksTruncated, sniffImageSignature } from './image-signature.js';
import { encodeImage } from './test-images.js';

describe('image signatures', () => {
  it('recognises formats by their first bytes and nothing else', async () => {
    expect(sniffImageSignature(await encodeImage('jpeg', 8, 8))).toBe('jpeg');
    expect(sniffImageSignature(await encodeImage('png', 8, 8))).toBe('png');
    expect(sniffImageSignature(await encodeImage('webp', 8, 8))).toBe('webp');
    expect(sniffImageSignature(await encodeImage('cmyk-tiff', 8, 8))).toBe('tiff');
    expect(sniffImageSignature(new TextEncoder().encode('hello, this is text'))).toBeUndefined();
    expect(sniffImageSignature(new Uint8Array(0))).toBeUndefined();
  });

  it('tells a cut file from a whole one for JPEG, PNG and WebP', async () => {
    for (const kind of ['jpeg', 'png', 'webp'] as const) {
      const whole = await encodeImage(kind, 40, 30);
      const format = sniffImageSignature(whole)!;
      expect(looksTruncated(format, whole), `${kind} whole`).toBe(false);
      expect(looksTruncated(format, whole.subarray(0, whole.length - 40)), `${kind} cut`).toBe(true);
    }
  });
});
