import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/bytes.js';
import { CRC32_START, crc32, crc32Final, crc32Update } from './crc32.js';

describe('crc32', () => {
  it('matches zlib for every length 0..100 and in pieces of any split', () => {
    const random = seededRandom(9);
    const bytes = Uint8Array.from({ length: 4099 }, () => Math.floor(random() * 256));
    for (let length = 0; length <= 100; length++) expect(crc32(bytes.subarray(0, length)), `length ${length}`).toBe(zlibCrc32(bytes.subarray(0, length)));
    for (const split of [0, 1, 7, 8, 9, 1000, 4099]) {
      const state = crc32Update(crc32Update(CRC32_START, bytes.subarray(0, split)), bytes.subarray(split));
      expect(crc32Final(state), `split at ${split}`).toBe(zlibCrc32(bytes));
    }
  });
});
