import { describe, expect, it } from 'vitest';
import { classStyle, proceduralDataset } from './procedural-dataset.js';

/** A 36-bin hue histogram weighted by saturation·value: a colour feature blind to position and rotation. */
function hueHistogram(data: Uint8Array): Float64Array {
  const histogram = new Float64Array(36);
  for (let i = 0; i < data.length; i += 3) {
    const [r, g, b] = [data[i] / 255, data[i + 1] / 255, data[i + 2] / 255];
    const max = Math.max(r, g, b);
    const chroma = max - Math.min(r, g, b);
    if (chroma < 0.4) continue;
    let hue = max === r ? (g - b) / chroma : max === g ? 2 + (b - r) / chroma : 4 + (r - g) / chroma;
    hue = (((hue / 6) % 1) + 1) % 1;
    histogram[Math.floor(hue * 36) % 36] += chroma * max;
  }
  const total = histogram.reduce((a, b) => a + b, 0) || 1;
  return histogram.map((v) => v / total);
}

describe('proceduralDataset', () => {
  it('is deterministic for (seed, index), with labels cycling through the classes', () => {
    const a = proceduralDataset({ imageSize: 16, seed: 1 });
    const b = proceduralDataset({ imageSize: 16, seed: 1 });
    expect(a.render(37).image.data).toEqual(b.render(37).image.data);
    expect(a.render(37).label).toBe(7);
    expect(proceduralDataset({ imageSize: 16, seed: 2 }).render(37).image.data).not.toEqual(a.render(37).image.data);
    expect(a.render(37).image.data).not.toEqual(a.render(47).image.data);
    expect(a.length).toBe(10_000);
    expect(a.classes).toHaveLength(10);
  });

  it('renders any size, and any number of classes with distinct looks', () => {
    for (const size of [4, 17, 32, 64, 128]) {
      const { image } = proceduralDataset({ imageSize: size }).render(3);
      expect([image.width, image.height, image.data.length]).toEqual([size, size, size * size * 3]);
    }
    const styles = Array.from({ length: 50 }, (_, k) => classStyle(k));
    expect(new Set(styles.map((s) => `${s.shape}/${s.texture}`)).size).toBe(50);
    expect(proceduralDataset({ numClasses: 1000, length: 5 }).classes).toHaveLength(1000);
  });

  it('has class structure a simple classifier finds (nearest hue-histogram centroid > 90%)', () => {
    const data = proceduralDataset({ imageSize: 32, numClasses: 10, seed: 4 });
    const centroids = Array.from({ length: 10 }, () => new Float64Array(36));
    for (let index = 0; index < 300; index++) {
      const { image, label } = data.render(index);
      hueHistogram(image.data).forEach((v, bin) => (centroids[label][bin] += v / 30));
    }
    let correct = 0;
    for (let index = 1000; index < 1200; index++) {
      const { image, label } = data.render(index);
      const feature = hueHistogram(image.data);
      const distances = centroids.map((c) => c.reduce((sum, v, bin) => sum + (v - feature[bin]) ** 2, 0));
      if (distances.indexOf(Math.min(...distances)) === label) correct++;
    }
    expect(correct / 200).toBeGreaterThan(0.9);
  });

  it('renders 32 × 32 images fast (1000 in well under a second)', () => {
    const data = proceduralDataset({ imageSize: 32 });
    data.render(0);
    const start = performance.now();
    for (let index = 0; index < 1000; index++) data.render(index);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('rejects indices outside the dataset through load()', async () => {
    await expect(proceduralDataset({ length: 3 }).load(3)).rejects.toThrow(/index 3 is outside \[0, 3\)/);
  });
});
