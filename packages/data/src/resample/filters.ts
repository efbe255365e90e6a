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

/** Keys' cubic convolution parameter; PIL uses −0.5 (torch's bicubic uses −0.75). */
const cubicA = -0.5;

/** PIL `Image.BICUBIC`: Keys' cubic kernel with a = −0.5, support 2. */
export const bicubicFilter: ResampleFilter = {
  name: 'bicubic',
  support: 2,
  weight(x) {
    const t = x < 0 ? -x : x;
    if (t < 1) return ((cubicA + 2) * t - (cubicA + 3)) * t * t + 1;
    if (t < 2) return (((t - 5) * t + 8) * t - 4) * cubicA;
    return 0;
  },
};
