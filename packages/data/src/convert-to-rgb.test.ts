import { describe, expect, it } from 'vitest';
import { convertToRgb } from './convert-to-rgb.js';

describe("convertToRgb (PIL convert('RGB'))", () => {
  it('replicates grey, and drops alpha of LA and RGBA without compositing', () => {
    expect(Array.from(convertToRgb({ width: 2, height: 1, mode: 'L', bitDepth: 8, data: Uint8Array.from([5, 200]) }).data)).toEqual([5, 5, 5, 200, 200, 200]);
    expect(Array.from(convertToRgb({ width: 1, height: 1, mode: 'LA', bitDepth: 8, data: Uint8Array.from([90, 0]) }).data)).toEqual([90, 90, 90]);
    expect(Array.from(convertToRgb({ width: 1, height: 1, mode: 'RGBA', bitDepth: 8, data: Uint8Array.from([10, 20, 30, 0]) }).data)).toEqual([10, 20, 30]);
  });

  it("uses Pillow's cmyk2rgb: nk − round(c·nk/255) with nk = 255 − k", () => {
    const data = Uint8Array.from([0, 0, 0, 0, 255, 255, 255, 0, 100, 50, 0, 40, 0, 0, 0, 255]);
    const rgb = convertToRgb({ width: 4, height: 1, mode: 'CMYK', bitDepth: 8, data }).data;
    // nk = 215: 215 − round(100·215/255) = 215 − 84 = 131; 215 − round(50·215/255) = 215 − 42 = 173.
    expect(Array.from(rgb)).toEqual([255, 255, 255, 0, 0, 0, 131, 173, 215, 0, 0, 0]);
  });

  it('clips 16-bit grey to 255 (PIL I;16 → L) but keeps the high byte of 16-bit colour', () => {
    const grey = convertToRgb({ width: 3, height: 1, mode: 'L', bitDepth: 16, data: Uint16Array.from([7, 255, 4000]) }).data;
    expect(Array.from(grey)).toEqual([7, 7, 7, 255, 255, 255, 255, 255, 255]);
    const colour = convertToRgb({ width: 1, height: 1, mode: 'RGB', bitDepth: 16, data: Uint16Array.from([0x1234, 0xff00, 0x00ff]) }).data;
    expect(Array.from(colour)).toEqual([0x12, 0xff, 0x00]);
  });

  it('expands palette indices (entries past the palette are black)', () => {
    const palette = Uint8Array.from([1, 2, 3, 250, 251, 252]);
    const rgb = convertToRgb({ width: 3, height: 1, mode: 'P', bitDepth: 8, data: Uint8Array.from([1, 0, 9]), palette }).data;
    expect(Array.from(rgb)).toEqual([250, 251, 252, 1, 2, 3, 0, 0, 0]);
  });

  it('says what size it expected', () => {
    expect(() => convertToRgb({ width: 2, height: 2, mode: 'RGB', bitDepth: 8, data: new Uint8Array(5) })).toThrow(/RGB 2×2 needs 12 samples, found 5/);
  });
});
