/** Keys' cubic convolution parameter as PIL (`Image.BICUBIC`) and PyTorch's antialiased bicubic use it (torch's plain bicubic uses −0.75). */
export const KEYS_CUBIC_A = -0.5;

/**
 * Keys' cubic convolution kernel with a = −0.5 at distance `x` (support 2): the weight PIL's
 * bicubic resize and `F.interpolate(mode='bicubic', antialias=True)` give a tap, before their
 * per-row normalisation. The one definition the ADM center crop (`data`) and DINOv2's
 * resampling (`encoders`) share.
 */
export function keysCubic(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return ((KEYS_CUBIC_A + 2) * t - (KEYS_CUBIC_A + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * KEYS_CUBIC_A;
  return 0;
}
