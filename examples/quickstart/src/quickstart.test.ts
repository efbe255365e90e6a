import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { fashionMnistFiles } from '@pixelrepa/data';
import { debianFashionMnistRoot } from '@pixelrepa/data/node';
import { readSafetensorsFile } from '@pixelrepa/io/node';
import { bundledFashionMnist, encoderFiles, openQuickstartData } from './datasets.js';
import { quickstartModelOverrides } from './recipe.js';
import { realImageSets, type LabelledSource } from './real-images.js';
import { writeLabelledGrid } from './labelled-grid.js';

const dir = mkdtempSync(join(tmpdir(), 'quickstart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the quickstart's data and encoder", () => {
  it('ships the official test split and says that it trains on it', () => {
    const { source, description } = openQuickstartData('fashion-mnist', {});
    expect(source.length).toBe(10_000);
    expect(description).toContain('official test split (10000 images, the copy in examples/quickstart/assets)');
    expect(readFileSync(join(bundledFashionMnist, 'LICENSE'), 'utf8')).toContain('Copyright © [2017] Zalando SE');
    expect(() => openQuickstartData('fashion-mnist', { split: 'train' })).toThrow(/holds only the official test split; for the train split pass --data_path/);
  });

  it("has byte-identical copies of Debian's official test files", (context) => {
    if (!existsSync(join(debianFashionMnistRoot, fashionMnistFiles.test.images)))
      context.skip(`Debian's dataset-fashion-mnist is not installed (${debianFashionMnistRoot})`);
    for (const name of [fashionMnistFiles.test.images, fashionMnistFiles.test.labels]) {
      expect(readFileSync(join(bundledFashionMnist, name)).equals(readFileSync(join(debianFashionMnistRoot, name)))).toBe(true);
    }
  });

  it("aligns to encoders whose token grid is the JiT's patch grid, trained on the other split", () => {
    const jitGrid = quickstartModelOverrides.inputSize / quickstartModelOverrides.patchSize;
    for (const file of Object.values(encoderFiles)) {
      const metadata = JSON.parse(readSafetensorsFile(file).metadata.pixelrepa) as { config: { imgSize: number; patchSize: number }; data?: string };
      expect(metadata.config.imgSize / metadata.config.patchSize).toBe(jitGrid);
    }
    const fashion = JSON.parse(readSafetensorsFile(encoderFiles['fashion-mnist']).metadata.pixelrepa) as { data: string; testAccuracy: number };
    expect(fashion.data).toContain('official train split');
    expect(fashion.testAccuracy).toBeGreaterThan(0.5);
  });

  it('draws disjoint reference and class-balanced real sets', () => {
    const source = openQuickstartData('fashion-mnist', {}).source as LabelledSource;
    const { reference, balanced } = realImageSets(source, { referenceSize: 1000, perClass: 10, seed: 7 });
    expect(new Set(reference).size).toBe(1000);
    expect(balanced.filter((index) => reference.includes(index))).toEqual([]);
    expect(balanced.map((index) => source.labelOf(index))).toEqual(Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)));
  });

  it('writes a grid with a label column and one panel per image set', async () => {
    const path = join(dir, 'grid.png');
    const pixels = new Uint8Array(2 * 3 * 4 * 4 * 3).fill(200);
    await writeLabelledGrid(
      path,
      [
        { title: 'samples', pixels },
        { title: 'real', pixels },
      ],
      { rowLabels: ['T-shirt/top', 'Bag'], columns: 3, imageSize: 4, scale: 2, footer: 'caption' },
    );
    const { width, height } = await sharp(path).metadata();
    // label column 120 + 2 panels of 3 × (4·2 + 2) + 2 + a 24 px gap; header 30 + 2 rows + 2 + footer 26
    expect([width, height]).toEqual([120 + 2 * 32 + 24, 30 + 2 * 10 + 2 + 26]);
    await expect(
      writeLabelledGrid(path, [{ title: 'short', pixels: pixels.subarray(1) }], { rowLabels: ['a', 'b'], columns: 3, imageSize: 4 }),
    ).rejects.toThrow(/panel "short" has 287 bytes/);
  });
});
