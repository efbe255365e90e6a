import { readFile } from 'node:fs/promises';
import { convertToRgb, type DecodedPixels } from '../convert-to-rgb.js';
import type { RgbImage } from '../image.js';
import { SampleSkipError, type SkipReason } from '../loader/sample-source.js';
import { looksTruncated, sniffImageSignature } from './image-signature.js';
import { loadSharp } from './load-sharp.js';

/**
 * Decodes JPEG / PNG / WebP / TIFF / GIF (first frame) bytes with sharp and converts them to RGB
 * the way `PIL.Image.open(f).convert('RGB')` does (see `convertToRgb`): embedded ICC profiles and
 * EXIF orientation are ignored, as PIL ignores them; CMYK, grey, alpha, palette and 16-bit images
 * are converted with Pillow's rules. Undecodable input rejects with a `SampleSkipError`.
 *
 * → [H, W, 3]
 */
export async function decodeImage(bytes: Uint8Array, where = 'image'): Promise<RgbImage> {
  loadSharp(); // a missing sharp is an install error, not a corrupt image
  const signature = sniffImageSignature(bytes);
  if (!signature) {
    const what = bytes.length === 0 ? 'the file is empty' : 'its first bytes are not those of a JPEG, PNG, WebP, GIF, TIFF, BMP, PNM or HEIF image';
    throw new SampleSkipError('not-an-image', where, what);
  }
  try {
    return convertToRgb(await decodePixels(bytes));
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split('\n')[0];
    const reason: SkipReason = looksTruncated(signature, bytes) ? 'truncated' : 'corrupt';
    throw new SampleSkipError(reason, where, `cannot decode ${signature} (${message})`);
  }
}

/** Reads and decodes the file at `path`; unreadable files reject with reason `unreadable`. */
export async function decodeImageFile(path: string): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SampleSkipError('unreadable', path, `cannot read the file (${code}: ${(error as Error).message})`);
  }
  return decodeImage(bytes, path);
}

/** The image's own channels and bit depth, as sharp decodes them, before any colour conversion. */
async function decodePixels(bytes: Uint8Array): Promise<DecodedPixels> {
  const sharp = loadSharp();
  const metadata = await sharp(bytes).metadata();
  // failOn 'error': refuse truncated and corrupt data (PIL raises on both) but accept warnings.
  let pipeline = sharp(bytes, { ignoreIcc: true, failOn: 'error' });
  const space: string = metadata.space ?? 'srgb';
  const native = ['b-w', 'grey16', 'srgb', 'rgb16', 'cmyk'].includes(space) && ['uchar', 'ushort'].includes(metadata.depth ?? '');
  if (space === 'cmyk') {
    // Keep the ink values: PIL converts CMYK with a formula, not through a colour profile.
    pipeline = pipeline.pipelineColourspace('cmyk').toColourspace('cmyk');
    if (metadata.hasAlpha) pipeline = pipeline.removeAlpha();
  } else if (native) {
    pipeline = pipeline.toColourspace(space);
  } else {
    pipeline = pipeline.toColourspace('srgb');
  }
  const sixteen = native && metadata.depth === 'ushort' && space !== 'cmyk';
  const { data, info } = await pipeline.raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  const samples = sixteen ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) : new Uint8Array(data);
  const mode = space === 'cmyk' ? 'CMYK' : (['L', 'LA', 'RGB', 'RGBA'] as const)[info.channels - 1];
  if (!mode) throw new Error(`decoded ${info.channels} channels; expected 1 to 4`);
  return { width: info.width, height: info.height, mode, bitDepth: sixteen ? 16 : 8, data: samples };
}
