/** How far two uint8 images are apart, in pixel levels (0…255). */
export interface PixelDifference {
  max: number;
  mean: number;
  /** Values that differ at all, and by more than one level. */
  differing: number;
  overOne: number;
  count: number;
}

export function pixelDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): PixelDifference {
  if (actual.length !== expected.length) throw new Error(`got ${actual.length} pixel values, expected ${expected.length}`);
  let max = 0;
  let sum = 0;
  let differing = 0;
  let overOne = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    max = Math.max(max, difference);
    sum += difference;
    if (difference > 0) differing++;
    if (difference > 1) overOne++;
  }
  return { max, mean: sum / Math.max(expected.length, 1), differing, overOne, count: expected.length };
}
