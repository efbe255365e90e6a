import { describe, expect, it } from 'vitest';
import { DataLoader } from '../loader/data-loader.js';
import { encodeIdx } from './idx.js';
import { fashionMnistClasses, fashionMnistFromIdx } from './fashion-mnist.js';

/** n images whose pixel (y, x) of image i is (i + y·28 + x) mod 251 + 1 (never 0, so padding shows). */
function tinySplit(n: number, labels: number[]) {
  const pixels = new Uint8Array(n * 28 * 28);
  for (let i = 0; i < n; i++) for (let p = 0; p < 28 * 28; p++) pixels[i * 784 + p] = ((i + p) % 251) + 1;
  return { images: encodeIdx([n, 28, 28], pixels), labels: encodeIdx([n], Uint8Array.from(labels)), pixels };
}

describe('Fashion-MNIST samples', () => {
  it('pads 28 → 32 with 2 px of black and repeats the grey value over 3 channels', async () => {
    const { images, labels, pixels } = tinySplit(3, [9, 0, 4]);
    const data = fashionMnistFromIdx(images, labels);
    expect(data.length).toBe(3);
    const { image, label } = await data.load(2);
    expect(label).toBe(4);
    expect(data.classes[label]).toBe('Coat');
    expect([image.width, image.height, image.data.length]).toEqual([32, 32, 32 * 32 * 3]);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const inside = y >= 2 && y < 30 && x >= 2 && x < 30;
        const expected = inside ? pixels[2 * 784 + (y - 2) * 28 + (x - 2)] : 0;
        const o = (y * 32 + x) * 3;
        expect([image.data[o], image.data[o + 1], image.data[o + 2]]).toEqual([expected, expected, expected]);
      }
    }
  });

  it('keeps 28 px as they are and refuses sizes that would crop', async () => {
    const { images, labels, pixels } = tinySplit(1, [1]);
    const { image } = await fashionMnistFromIdx(images, labels, { imageSize: 28 }).load(0);
    expect(image.data.filter((_, i) => i % 3 === 0)).toEqual(pixels);
    expect(() => fashionMnistFromIdx(images, labels, { imageSize: 24 })).toThrow(/imageSize must be an integer ≥ 28.*found 24/);
  });

  it('has the official class names in label order', () => {
    expect(fashionMnistClasses).toHaveLength(10);
    expect([fashionMnistClasses[0], fashionMnistClasses[5], fashionMnistClasses[9]]).toEqual(['T-shirt/top', 'Sandal', 'Ankle boot']);
  });

  it('rejects mismatched counts, wrong image shapes and labels outside 0…9', async () => {
    const { images, labels } = tinySplit(3, [1, 2, 3]);
    expect(() => fashionMnistFromIdx(images, encodeIdx([2], Uint8Array.from([1, 2])))).toThrow(
      /expected 3 labels \(one per image\), found labels of shape \[2\]/,
    );
    expect(() => fashionMnistFromIdx(encodeIdx([1, 27, 28], new Uint8Array(27 * 28)), encodeIdx([1], Uint8Array.of(0)))).toThrow(
      /expected images of shape \[N, 28, 28\], found \[1, 27, 28\]/,
    );
    expect(() => fashionMnistFromIdx(images, encodeIdx([3], Uint8Array.from([1, 10, 3])))).toThrow(/label 1 is 10, outside the 10 classes/);
    await expect(fashionMnistFromIdx(images, labels).load(3)).rejects.toThrow(/index 3 is outside \[0, 3\)/);
  });

  it('goes through the DataLoader like any source: sharded, shuffled, batched', async () => {
    const { images, labels } = tinySplit(10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const data = fashionMnistFromIdx(images, labels);
    const seen: number[] = [];
    for (const rank of [0, 1]) {
      const loader = new DataLoader(data, { batchSize: 2, seed: 3, shuffle: true, rank, worldSize: 2 });
      for await (const batch of loader.epoch(0)) {
        expect(batch.images.length).toBe(batch.labels.length * 32 * 32 * 3);
        seen.push(...batch.labels);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
