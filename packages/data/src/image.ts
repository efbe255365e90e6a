/**
 * An 8-bit RGB image in row-major HWC order: `data[(y·width + x)·3 + c]`, c ∈ {R, G, B}.
 * The currency of this package: decoders produce it, crops and flips transform it, batches pack it.
 */
export interface RgbImage {
  width: number;
  height: number;
  /** [H, W, 3] uint8 */
  data: Uint8Array;
}

/** A zero-filled RGB image. */
export function createRgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/** Throws a readable error when `image.data` does not hold `height·width·3` bytes. */
export function assertRgbImage(image: RgbImage, what = 'image'): void {
  const expected = image.width * image.height * 3;
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) {
    throw new Error(`${what}: expected positive integer width and height, found ${image.width}×${image.height}`);
  }
  if (image.data.length !== expected) {
    throw new Error(
      `${what}: expected ${expected} bytes for ${image.width}×${image.height} RGB (HWC uint8), found ${image.data.length}; ` +
        'convert other layouts with convertToRgb first',
    );
  }
}

/** Copies rows [top, top + height) and columns [left, left + width) of `image`. */
export function cropRgbImage(image: RgbImage, left: number, top: number, width: number, height: number): RgbImage {
  if (left < 0 || top < 0 || left + width > image.width || top + height > image.height) {
    throw new Error(`crop ${width}×${height} at (${left}, ${top}) does not fit inside a ${image.width}×${image.height} image`);
  }
  const out = createRgbImage(width, height);
  const rowBytes = width * 3;
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 3;
    out.data.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}
