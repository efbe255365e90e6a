import { readFile } from 'node:fs/promises';
import { convertToRgb, type DecodedPixels } from '../convert-to-rgb.js';
import type { RgbImage } from '../image.js';
import { SampleSkipError, type SkipReason } from '../loader/sample-source.js';
import { DecodeLock } from './decode-alone.js';
import { looksTruncated, sniffImageSignature, type ImageSignature } from './image-signature.js';
import { loadSharp } from './load-sharp.js';

/**
 * Default pixel budget per image: 64 Mpx (8192 × 8192). Every current camera's photos fit
 * (61 Mpx at most), while one decode stays under about 0.7 GB (sharp's raw RGB output, our RGB
 * copy and the crop's buffers, about 10 bytes per pixel); sharp's own limit (268 Mpx) would let
 * a 746 KB PNG take 2.7 GB per decoding thread.
 */
export const DEFAULT_MAX_PIXELS = 2 ** 26;

export interface DecodeImageOptions {
  /** Images with more pixels (width × height, from the header) are skipped as 'too-large' before decoding. */
  maxPixels?: number;
  /**
   * Repeat a failed decode with no other decode of this thread running, so its error message is
   * its own (see DecodeLock). Default true; decoding workers pass false, their pool does it for all of them.
   */
  retryAlone?: boolean;
}

/** One per thread: decodes of this thread share it; a failed one is repeated alone. */
const decodeLock = new DecodeLock();

/**
 * Decodes JPEG / PNG / WebP / TIFF / GIF (first frame) bytes with sharp and converts them to RGB
 * the way `PIL.Image.open(f).convert('RGB')` does (see `convertToRgb`): embedded ICC profiles and
 * EXIF orientation are ignored, as PIL ignores them; CMYK, grey, alpha, palette and 16-bit images
 * are converted with Pillow's rules. Undecodable input rejects with a `SampleSkipError`, and
 * so does an image over the pixel budget (`maxPixels`, default 64 Mpx), found from its header
 * before any pixel is decoded.
 *
 * → [H, W, 3]
 */
export async function decodeImage(bytes: Uint8Array, where = 'image', options: DecodeImageOptions = {}): Promise<RgbImage> {
  loadSharp(); // a missing sharp is an install error, not a corrupt image
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const signature = sniffImageSignature(bytes);
  if (!signature) {
    const what = bytes.length === 0 ? 'the file is empty' : 'its first bytes are not those of a JPEG, PNG, WebP, GIF, TIFF, BMP, PNM or HEIF image';
    throw new SampleSkipError('not-an-image', where, what);
  }
  try {
    return convertToRgb(await decodeLock.runShared(() => decodePixels(bytes, maxPixels, where)));
  } catch (error) {
    if (error instanceof SampleSkipError || options.retryAlone === false) throw decodeFailure(error, signature, bytes, where);
  }
  try {
    return convertToRgb(await decodeLock.runAlone(() => decodePixels(bytes, maxPixels, where)));
  } catch (error) {
    throw decodeFailure(error, signature, bytes, where);
  }
}

/** The skip error for a failed decode: ours as they are, the decoder's as corrupt or truncated. */
function decodeFailure(error: unknown, signature: ImageSignature, bytes: Uint8Array, where: string): SampleSkipError {
  if (error instanceof SampleSkipError) return error;
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  const reason: SkipReason = looksTruncated(signature, bytes) ? 'truncated' : 'corrupt';
  return new SampleSkipError(reason, where, `cannot decode ${signature} (${message})`);
}

/** Reads and decodes the file at `path`; unreadable files reject with reason `unreadable`. */
export async function decodeImageFile(path: string, options: DecodeImageOptions = {}): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SampleSkipError('unreadable', path, `cannot read the file (${code}: ${(error as Error).message})`);
  }
  return decodeImage(bytes, path, options);
}

/** The image's own channels and bit depth, as sharp decodes them, before any colour conversion. */
async function decodePixels(bytes: Uint8Array, maxPixels: number, where: string): Promise<DecodedPixels> {
  const sharp = loadSharp();
  const metadata = await sharp(bytes, { limitInputPixels: false }).metadata(); // reads the header only
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
  if (pixels > maxPixels) {
    throw new SampleSkipError(
      'too-large',
      where,
      `${metadata.width}×${metadata.height} pixels (${(pixels / 1e6).toFixed(1)} Mpx) exceed the budget of ${(maxPixels / 1e6).toFixed(1)} Mpx per image; not decoded (raise maxPixels to accept it)`,
    );
  }
  // failOn 'error': refuse truncated and corrupt data (PIL raises on both) but accept warnings.
  // limitInputPixels: sharp checks the budget again itself, in case its decoder sees other dimensions.
  let pipeline = sharp(bytes, { ignoreIcc: true, failOn: 'error', limitInputPixels: Math.max(1, Math.floor(maxPixels)) });
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
