import { describe, expect, it } from 'vitest';
import type { RawTensor } from '@pixelrepa/io';
import { loadCase, describeWithFixtures } from '@pixelrepa/tensor/testing';
import { admCenterCrop, roundHalfToEven, type ResizeStage } from './center-crop.js';
import type { RgbImage } from './image.js';

const asImage = (raw: RawTensor): RgbImage => ({ height: raw.shape[0], width: raw.shape[1], data: raw.data as Uint8Array });

function maxAbsDifference(actual: Uint8Array, reference: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < reference.length; i++) max = Math.max(max, Math.abs(actual[i] - reference[i]));
  return max;
}

describeWithFixtures('admCenterCrop (fixture center-crop: PIL 9.4 center_crop_arr)', ['center-crop'], () => {
  const fixture = loadCase('center-crop');
  const inputs = fixture.inputs();
  const expected = fixture.expected();
  for (const name of ['img0', 'img1', 'img2']) {
    for (const size of fixture.json.config.sizes as number[]) {
      it(`${name} at ${size}: every resize stage and the crop match PIL bit for bit`, () => {
        const stages: ResizeStage[] = [];
        const crop = admCenterCrop(asImage(inputs.get(name)!), size, { onResize: (stage) => stages.push(stage) });
        const calls = fixture.json.config.resize_calls[`${name}_crop${size}`] as Array<{ out_size_wh: number[]; resample: string }>;
        expect(stages.map((s) => [s.to, s.resample])).toEqual(calls.map((c) => [c.out_size_wh, c.resample.toLowerCase()]));
        stages.forEach((stage, i) => {
          const reference = expected.get(`${name}_crop${size}_stage${i}`)!;
          expect([stage.image.height, stage.image.width, 3]).toEqual(reference.shape);
          expect(maxAbsDifference(stage.image.data, reference.data as Uint8Array)).toBe(0);
        });
        const reference = expected.get(`${name}_crop${size}`)!;
        expect([crop.height, crop.width, 3]).toEqual(reference.shape);
        expect(maxAbsDifference(crop.data, reference.data as Uint8Array)).toBe(0);
      });
    }
  }

  it('upscales images smaller than the target with the bicubic step', () => {
    const small: RgbImage = { width: 10, height: 7, data: new Uint8Array(10 * 7 * 3).map((_, i) => (i * 29) % 256) };
    const stages: ResizeStage[] = [];
    const crop = admCenterCrop(small, 16, { onResize: (s) => stages.push(s) });
    expect(stages.map((s) => [s.resample, s.to])).toEqual([['bicubic', [23, 16]]]);
    expect([crop.width, crop.height, crop.data.length]).toEqual([16, 16, 16 * 16 * 3]);
  });

  it('keeps a constant image constant through box halvings and bicubic', () => {
    const flat: RgbImage = { width: 300, height: 200, data: new Uint8Array(300 * 200 * 3).fill(77) };
    expect(admCenterCrop(flat, 32).data.every((v) => v === 77)).toBe(true);
  });

  it('says what was wrong with a bad size or buffer', () => {
    const image: RgbImage = { width: 4, height: 4, data: new Uint8Array(48) };
    expect(() => admCenterCrop(image, 0)).toThrow(/positive integer size, found 0/);
    expect(() => admCenterCrop({ ...image, data: new Uint8Array(47) }, 2)).toThrow(/expected 48 bytes for 4×4 RGB/);
  });
});

describe('roundHalfToEven (Python round)', () => {
  it('rounds ties to the even neighbour and everything else to nearest', () => {
    expect([0.5, 1.5, 2.5, 384.5, 2.4999, 2.5001, 384.96].map(roundHalfToEven)).toEqual([0, 2, 2, 384, 2, 3, 385]);
  });
});
