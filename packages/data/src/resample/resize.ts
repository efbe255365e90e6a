import { assertRgbImage, type RgbImage } from '../image.js';
import { fixedPointTaps, precisionBits, type FixedPointTaps } from './coefficients.js';
import { bicubicFilter, boxFilter, type ResampleFilter } from './filters.js';

export type ResampleName = 'box' | 'bicubic';

const filters: Record<ResampleName, ResampleFilter> = { box: boxFilter, bicubic: bicubicFilter };

/** Rounding offset added before the final shift (½ in 2^-22 units). */
const half = 1 << (precisionBits - 1);

/**
 * `PIL.Image.resize((width, height), resample)` for an RGB image, bit-exact with Pillow's
 * ImagingResample on 8-bit data: a horizontal pass (only when the width changes) into a uint8
 * intermediate, then a vertical pass (only when the height changes), each with fixed-point
 * weights, round-half-up and clipping to [0, 255]. An unchanged size returns a copy, as PIL does.
 *
 * image: [H, W, 3] → [height, width, 3]
 */
export function resizeLikePil(image: RgbImage, width: number, height: number, resample: ResampleName): RgbImage {
  assertRgbImage(image, 'resizeLikePil input');
  const filter = filters[resample];
  if (!filter) throw new Error(`resizeLikePil: unknown resample "${resample}"; expected "box" or "bicubic"`);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw new Error(`resizeLikePil: expected a positive integer output size, found ${width}×${height}`);
  }
  if (width === image.width && height === image.height) {
    return { width, height, data: image.data.slice() };
  }
  const vertical = fixedPointTaps(image.height, height, filter);
  let current = image;
  let rowOffset = 0;
  if (width !== image.width) {
    // Only the source rows some output row reads are resampled horizontally (PIL's ybox).
    const firstRow = vertical.starts[0];
    const lastRow = vertical.starts[height - 1] + vertical.counts[height - 1];
    current = horizontalPass(image, width, firstRow, lastRow, fixedPointTaps(image.width, width, filter));
    rowOffset = firstRow;
  }
  if (height !== image.height) {
    current = verticalPass(current, height, rowOffset, vertical);
  }
  return current;
}

/** Resamples rows [firstRow, lastRow) of `image` to `width` columns. → [lastRow − firstRow, width, 3] */
function horizontalPass(image: RgbImage, width: number, firstRow: number, lastRow: number, taps: FixedPointTaps): RgbImage {
  const rows = lastRow - firstRow;
  const source = image.data;
  // Uint8ClampedArray clips the shifted sum to [0, 255] exactly like PIL's clip8.
  const out = new Uint8ClampedArray(rows * width * 3);
  const { starts, counts, weights, taps: stride } = taps;
  for (let y = 0; y < rows; y++) {
    const inRow = (y + firstRow) * image.width * 3;
    let o = y * width * 3;
    for (let x = 0; x < width; x++) {
      let r = half;
      let g = half;
      let b = half;
      let p = inRow + starts[x] * 3;
      const k = x * stride;
      const n = counts[x];
      for (let i = 0; i < n; i++, p += 3) {
        const w = weights[k + i];
        r += source[p] * w;
        g += source[p + 1] * w;
        b += source[p + 2] * w;
      }
      out[o++] = r >> precisionBits;
      out[o++] = g >> precisionBits;
      out[o++] = b >> precisionBits;
    }
  }
  return { width, height: rows, data: new Uint8Array(out.buffer) };
}

/**
 * Resamples the columns of `image` to `height` rows; tap starts are shifted by `rowOffset`
 * (the first source row kept by the horizontal pass). → [height, W, 3]
 */
function verticalPass(image: RgbImage, height: number, rowOffset: number, taps: FixedPointTaps): RgbImage {
  const rowBytes = image.width * 3;
  const source = image.data;
  const out = new Uint8ClampedArray(height * rowBytes);
  const { starts, counts, weights, taps: stride } = taps;
  const sums = new Float64Array(rowBytes);
  for (let y = 0; y < height; y++) {
    sums.fill(half);
    const k = y * stride;
    const n = counts[y];
    let p = (starts[y] - rowOffset) * rowBytes;
    // Row-at-a-time accumulation keeps memory access sequential; the sum per pixel is the same.
    for (let i = 0; i < n; i++, p += rowBytes) {
      const w = weights[k + i];
      for (let c = 0; c < rowBytes; c++) sums[c] += source[p + c] * w;
    }
    const o = y * rowBytes;
    for (let c = 0; c < rowBytes; c++) out[o + c] = sums[c] >> precisionBits;
  }
  return { width: image.width, height, data: new Uint8Array(out.buffer) };
}
