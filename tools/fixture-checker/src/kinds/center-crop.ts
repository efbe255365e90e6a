import type { RawTensor } from '@pixelrepa/io';
import { admCenterCrop, type ResizeStage } from '@pixelrepa/data';
import type { FixtureCase } from '@pixelrepa/tensor/testing';
import type { KindChecker, TensorResult } from '../kind.js';

/**
 * `center-crop`: the ADM center crop (PIL BOX halvings, antialiased BICUBIC, centre square) of
 * three photos at each size, compared on every expected tensor — the crops and each intermediate
 * resize (`<image>_crop<size>_stage<i>`). Passes when the largest difference is ≤ the case's
 * `max_abs_diff_levels` and the mean ≤ `mean_abs_diff_bound` (our fixed-point port is exact).
 */
export const checker: KindChecker = {
  kind: 'center-crop',
  aliases: ['center_crop', 'adm-center-crop'],
  async check(fixture: FixtureCase): Promise<TensorResult[]> {
    const tolerance: Record<string, unknown> = fixture.json.tolerance ?? {};
    const maxLevels = Number(tolerance.max_abs_diff_levels ?? tolerance.atol ?? 1);
    const meanBound = Number(tolerance.mean_abs_diff_bound ?? 0.01);
    const inputs = fixture.inputs();
    const expected = fixture.expected();
    const actual = new Map<string, { shape: number[]; data: Uint8Array }>();
    for (const [name, raw] of inputs) {
      const image = { height: raw.shape[0], width: raw.shape[1], data: raw.data as Uint8Array };
      for (const size of fixture.json.config.sizes as number[]) {
        const stages: ResizeStage[] = [];
        const crop = admCenterCrop(image, size, { onResize: (stage) => stages.push(stage) });
        actual.set(`${name}_crop${size}`, { shape: [size, size, 3], data: crop.data });
        stages.forEach((stage, i) =>
          actual.set(`${name}_crop${size}_stage${i}`, { shape: [stage.image.height, stage.image.width, 3], data: stage.image.data }),
        );
      }
    }
    return [...expected].map(([name, reference]) => compare(name, actual.get(name), reference, maxLevels, meanBound));
  },
};

function compare(
  name: string,
  actual: { shape: number[]; data: Uint8Array } | undefined,
  reference: RawTensor,
  maxLevels: number,
  meanBound: number,
): TensorResult {
  if (!actual) {
    return { tensor: name, maxAbsError: Infinity, allowed: maxLevels, ok: false, detail: 'no such output (an extra or missing resize stage?)' };
  }
  if (actual.shape.join() !== reference.shape.join()) {
    return { tensor: name, maxAbsError: Infinity, allowed: maxLevels, ok: false, detail: `shape [${actual.shape}] vs expected [${reference.shape}]` };
  }
  const expected = reference.data as Uint8Array;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual.data[i] - expected[i]);
    if (difference > max) max = difference;
    sum += difference;
  }
  const mean = sum / expected.length;
  const ok = max <= maxLevels && mean <= meanBound;
  return {
    tensor: name,
    maxAbsError: max,
    allowed: maxLevels,
    ok,
    detail: `max ${max} level(s) (≤ ${maxLevels}), mean ${mean.toExponential(2)} (≤ ${meanBound})`,
  };
}
