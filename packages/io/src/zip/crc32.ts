/** CRC-32 (IEEE 802.3, the zip checksum), table-driven. */
let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The CRC-32 of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  return crc32Final(crc32Update(CRC32_START, bytes));
}

/** Running state of a CRC-32 computed over several pieces: start, update with each, final. */
export const CRC32_START = 0xffffffff;

export function crc32Update(state: number, bytes: Uint8Array): number {
  const t = crcTable();
  let crc = state;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

export function crc32Final(state: number): number {
  return (state ^ 0xffffffff) >>> 0;
}
