/**
 * Image formats recognised from their first bytes, and whether a file of that format ends
 * before its end marker. Decoders' own messages are not reliable for this (libvips keeps one
 * error buffer per process, so concurrent decodes can lose each other's messages), so skip
 * reasons are decided from the bytes.
 */
export type ImageSignature = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'bmp' | 'pnm' | 'heif';

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  bytes.length >= start + text.length && [...text].every((c, i) => bytes[start + i] === c.charCodeAt(0));

/** The format `bytes` start like, or undefined for anything else (text, empty, unknown). */
export function sniffImageSignature(bytes: Uint8Array): ImageSignature | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'gif';
  if (ascii(bytes, 0, 'II*\0') || ascii(bytes, 0, 'MM\0*')) return 'tiff';
  if (ascii(bytes, 0, 'BM')) return 'bmp';
  if (bytes.length >= 3 && bytes[0] === 0x50 && bytes[1] >= 0x31 && bytes[1] <= 0x37 && /\s/.test(String.fromCharCode(bytes[2]))) return 'pnm';
  if (ascii(bytes, 4, 'ftyp')) return 'heif';
  return undefined;
}

/** True when a file of `format` lacks its end: JPEG's EOI marker, PNG's IEND chunk, WebP's RIFF length, GIF's trailer. */
export function looksTruncated(format: ImageSignature, bytes: Uint8Array): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 32));
  switch (format) {
    case 'jpeg':
      // Entropy-coded data never holds FF D9 (0xFF is stuffed), so its absence near the end means truncation.
      return !tail.some((b, i) => b === 0xff && tail[i + 1] === 0xd9);
    case 'png':
      return !ascii(bytes, bytes.length - 8, 'IEND');
    case 'webp': {
      const riffSize = bytes.length >= 8 ? (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0 : 0;
      return bytes.length < 8 + riffSize;
    }
    case 'gif':
      return !tail.includes(0x3b);
    default:
      return false;
  }
}
