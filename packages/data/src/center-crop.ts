import { assertRgbImage, cropRgbImage, type RgbImage } from './image.js';
import { resizeLikePil, type ResampleName } from './resample/resize.js';

/** One resize inside the ADM center crop (for debugging against the fixture's stages). */
export interface ResizeStage {
  resample: ResampleName;
  /** [width, height] before and after */
  from: [number, number];
  to: [number, number];
  image: RgbImage;
}

export interface AdmCenterCropOptions {
  /** Called after every resize with its result. */
  onResize?: (stage: ResizeStage) => void;
}

/**
 * The ADM / guided-diffusion `center_crop_arr` that prepares ImageNet for the JiT and PixelREPA
 * papers (and their FID reference batches): halve with PIL's BOX filter while the short side is
 * at least 2·size, resize with PIL's antialiased BICUBIC so the short side is `size` (each side
 * `round(side · size / short)`, Python's ties-to-even round), then take the centre square.
 * Images smaller than `size` are upscaled by the same bicubic step. Bit-exact with Pillow
 * (fixture `center-crop`).
 *
 * image: [H, W, 3] → [size, size, 3]
 */
export function admCenterCrop(image: RgbImage, size: number, options: AdmCenterCropOptions = {}): RgbImage {
  assertRgbImage(image, 'admCenterCrop input');
  if (!(Number.isInteger(size) && size >= 1)) {
    throw new Error(`admCenterCrop: expected a positive integer size, found ${size}`);
  }
  let current = image;
  const resize = (width: number, height: number, resample: ResampleName) => {
    const from: [number, number] = [current.width, current.height];
    current = resizeLikePil(current, width, height, resample);
    options.onResize?.({ resample, from, to: [width, height], image: current });
  };
  while (Math.min(current.width, current.height) >= 2 * size) {
    resize(Math.floor(current.width / 2), Math.floor(current.height / 2), 'box');
  }
  const scale = size / Math.min(current.width, current.height);
  resize(roundHalfToEven(current.width * scale), roundHalfToEven(current.height * scale), 'bicubic');
  const top = Math.floor((current.height - size) / 2);
  const left = Math.floor((current.width - size) / 2);
  return cropRgbImage(current, left, top, size, size);
}

/** Python 3's `round(x)` for floats: nearest integer, ties to the even one. */
export function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
