import { keysCubic } from '@pixelrepa/tensor';

/**
 * The two resampling kernels of the ADM center crop, as PIL defines them (Resample.c): the
 * kernel's weight at distance x (in source pixels, already divided by the downscale factor)
 * and its support (half-width).
 */
export interface ResampleFilter {
  name: 'box' | 'bicubic';
  support: number;
  weight(x: number): number;
}

/** PIL `Image.BOX`: 1 on (−½, ½], so each output pixel averages the source pixels it covers. */
export const boxFilter: ResampleFilter = {
  name: 'box',
  support: 0.5,
  weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0),
};

/** PIL `Image.BICUBIC`: Keys' cubic kernel with a = −0.5 (`keysCubic`, shared with DINOv2's resampling), support 2. */
export const bicubicFilter: ResampleFilter = {
  name: 'bicubic',
  support: 2,
  weight: keysCubic,
};
