// Item: with several decodes at once, libvips' one error buffer per process let a skipped file's
// message quote another file's decoder error. Corrupt JPEG, PNG and WebP files (made here) are
// decoded concurrently, on workers and on the main thread; each message must name its own decoder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from './decode-image.js';
import { DecodePool } from './decode-pool.js';
import { encodeImage } from './test-images.js';

const kinds = ['jpeg', 'png', 'webp'] as const;
/** Words of each decoder's messages; a message for one kind must not contain another's. */
const decoderWords: Record<(typeof kinds)[number], RegExp> = { jpeg: /jpeg/i, png: /png/i, webp: /webp/i };

let dir: string;
const files: Array<{ path: string; kind: (typeof kinds)[number] }> = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelrepa-messages-'));
  for (let i = 0; i < 24; i++) {
    const kind = kinds[i % 3];
    const whole = await encodeImage(kind, 64 + i, 48, i);
    const bad = Buffer.from(whole.subarray(0, Math.floor(whole.length * (0.3 + (i % 5) * 0.1))));
    if (i % 2) bad[bad.length >> 1] ^= 0xff;
    const path = join(dir, `${i}.${kind}`);
    await writeFile(path, bad);
    files.push({ path, kind });
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectOwnMessages(messages: string[]): void {
  files.forEach(({ path, kind }, i) => {
    const detail = /\((.*)\)$/.exec(messages[i])?.[1] ?? messages[i];
    expect(messages[i], path).toContain(`${path}: cannot decode ${kind}`);
    for (const other of kinds.filter((k) => k !== kind)) expect(detail, `${path} quotes a ${other} decoder`).not.toMatch(decoderWords[other]);
    expect(detail, path).not.toBe('Unknown error');
  });
}

describe("a skipped file's message quotes its own decoder error", () => {
  it('with 4 decoding workers', async () => {
    const pool = new DecodePool(4);
    try {
      const messages = await Promise.all(
        files.map(({ path }) =>
          pool.decode(path, 16).then(
            () => 'decoded',
            (e: Error) => e.message,
          ),
        ),
      );
      expectOwnMessages(messages);
    } finally {
      await pool.close();
    }
  });

  it('on the main thread with concurrent decodes', async () => {
    const messages = await Promise.all(
      files.map(({ path }) =>
        decodeImageFile(path).then(
          () => 'decoded',
          (e: Error) => e.message,
        ),
      ),
    );
    expectOwnMessages(messages);
  });
});
