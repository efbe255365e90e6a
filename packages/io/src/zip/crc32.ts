/**
 * CRC-32 (IEEE 802.3, the zip checksum), "slicing by 8": eight 256-entry tables let the loop
 * fold 8 bytes per step, about 4× faster than one byte per step (a 1 GiB .npz is checked in
 * seconds, not tens of seconds). tables[k][n] is the CRC of byte n followed by k zero bytes.
 */
let tables: Uint32Array[] | undefined;

function crcTables(): Uint32Array[] {
  if (tables) return tables;
  const first = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    first[n] = c >>> 0;
  }
  tables = [first];
  for (let k = 1; k < 8; k++) {
    const previous = tables[k - 1];
    const next = new Uint32Array(256);
    for (let n = 0; n < 256; n++) next[n] = (previous[n] >>> 8) ^ first[previous[n] & 0xff];
    tables.push(next);
  }
  return tables;
}

/** The CRC-32 of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  return crc32Final(crc32Update(CRC32_START, bytes));
}

/** Running state of a CRC-32 computed over several pieces: start, update with each, final. */
export const CRC32_START = 0xffffffff;

export function crc32Update(state: number, bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = crcTables();
  let crc = state;
  let i = 0;
  for (const end = bytes.length - 8; i <= end; i += 8) {
    const low = (crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24))) >>> 0;
    const high = bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24);
    crc =
      t7[low & 0xff] ^
      t6[(low >>> 8) & 0xff] ^
      t5[(low >>> 16) & 0xff] ^
      t4[low >>> 24] ^
      t3[high & 0xff] ^
      t2[(high >>> 8) & 0xff] ^
      t1[(high >>> 16) & 0xff] ^
      t0[high >>> 24];
  }
  for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

export function crc32Final(state: number): number {
  return (state ^ 0xffffffff) >>> 0;
}
