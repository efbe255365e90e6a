import type { RgbImage } from './image.js';

/**
 * Decoded pixels before colour conversion, named after the PIL mode they correspond to:
 * `L` grey, `LA` grey + alpha, `RGB`, `RGBA`, `CMYK` (ink amounts, 0 = no ink), `P` palette
 * indices with an RGB `palette` (3 bytes per entry). `bitDepth: 16` holds 16-bit samples
 * (`data` a Uint16Array), as PNG and TIFF can store them.
 */
export interface DecodedPixels {
  width: number;
  height: number;
  mode: 'L' | 'LA' | 'RGB' | 'RGBA' | 'CMYK' | 'P';
  bitDepth: 8 | 16;
  /** [H, W, channels(mode)] */
  data: Uint8Array | Uint16Array;
  /** `P` only: [entries, 3] RGB */
  palette?: Uint8Array;
}

const channelsOf = { L: 1, LA: 2, RGB: 3, RGBA: 4, CMYK: 4, P: 1 } as const;

/**
 * `PIL.Image.convert('RGB')` as Pillow applies it to what its decoders produce (Convert.c):
 * - `L` → grey replicated to R = G = B; `LA` and `RGBA` → alpha dropped, no compositing;
 * - `P` → palette lookup (transparency ignored);
 * - `CMYK` → `R = nk − nk·C/255` with `nk = 255 − K` (Pillow's cmyk2rgb, MULDIV255 rounding);
 * - 16-bit grey (PIL mode `I;16`/`I`) → values clipped to 255, NOT scaled: a typical 16-bit grey
 *   photo turns almost white, exactly as under PIL;
 * - 16-bit colour or grey + alpha → the high byte (PIL's `;16B` unpackers keep the top 8 bits).
 *
 * pixels: [H, W, channels] → [H, W, 3]
 */
export function convertToRgb(pixels: DecodedPixels): RgbImage {
  const { width, height, mode, bitDepth, data } = pixels;
  const channels = channelsOf[mode];
  if (channels === undefined) throw new Error(`convertToRgb: unknown mode "${mode}"; expected L, LA, RGB, RGBA, CMYK or P`);
  const count = width * height;
  if (data.length !== count * channels) {
    throw new Error(`convertToRgb: ${mode} ${width}×${height} needs ${count * channels} samples, found ${data.length}`);
  }
  if (bitDepth === 16 && (mode === 'P' || mode === 'CMYK')) {
    throw new Error(`convertToRgb: 16-bit ${mode} has no PIL equivalent; decode it to 8 bits first`);
  }
  const eight = bitDepth === 16 ? toEightBit(data as Uint16Array, mode === 'L') : (data as Uint8Array);
  const out = new Uint8Array(count * 3);
  switch (mode) {
    case 'L':
    case 'LA':
      for (let i = 0, p = 0; i < count; i++, p += channels) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = eight[p];
      break;
    case 'RGB':
      out.set(eight.subarray(0, count * 3));
      break;
    case 'RGBA':
      for (let i = 0; i < count; i++) {
        out[3 * i] = eight[4 * i];
        out[3 * i + 1] = eight[4 * i + 1];
        out[3 * i + 2] = eight[4 * i + 2];
      }
      break;
    case 'CMYK':
      for (let i = 0; i < count; i++) {
        const inkless = 255 - eight[4 * i + 3];
        for (let c = 0; c < 3; c++) out[3 * i + c] = inkless - mulDiv255(eight[4 * i + c], inkless);
      }
      break;
    case 'P':
      expandPalette(eight, pixels.palette, out);
      break;
  }
  return { width, height, data: out };
}

/** Pillow's MULDIV255: a·b/255 rounded, with its shift-based rounding. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/** 16 → 8 bits: grey clips like PIL's `I;16`/`I` → `L`; everything else keeps the high byte. */
function toEightBit(data: Uint16Array, clip: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = clip ? (data[i] > 255 ? 255 : data[i]) : data[i] >> 8;
  return out;
}

function expandPalette(indices: Uint8Array, palette: Uint8Array | undefined, out: Uint8Array): void {
  if (!palette || palette.length % 3 !== 0) {
    throw new Error('convertToRgb: mode P needs a palette of RGB triplets (length a multiple of 3)');
  }
  const entries = palette.length / 3;
  for (let i = 0; i < indices.length; i++) {
    // PIL's palette always has 256 entries, missing ones black.
    const e = indices[i];
    if (e < entries) {
      out[3 * i] = palette[3 * e];
      out[3 * i + 1] = palette[3 * e + 1];
      out[3 * i + 2] = palette[3 * e + 2];
    }
  }
}
