import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataLoader, admCenterCrop, proceduralDataset, type SampleSource } from '@pixelrepa/data';
import { decodeImageFile, imageFolder, openPackedCache, prepare } from '@pixelrepa/data/node';
import { defineFlags } from '../flags.js';
import { defineBenchmark } from './benchmark.js';

interface Throughput {
  images: number;
  seconds: number;
  imagesPerSecond: number;
}

/**
 * The data pipeline: images/s for decode + ADM center crop + flip (JPEGs it generates in a temp
 * folder) on the main thread and on 1 and 2 worker threads, preparing and reading the packed
 * cache, and rendering the procedural dataset. One process: no tensors are involved.
 */
export const dataBenchmark = defineBenchmark({
  name: 'data',
  about: 'images/s of the data pipeline (decode, crop, flip; workers; packed cache)',
  flags: defineFlags({
    images: { type: 'integer', value: 'n', default: 64, description: 'JPEGs to generate (500×375, quality 90)' },
    size: { type: 'integer', value: 'px', default: 256, description: 'center-crop size' },
    epochs: { type: 'integer', value: 'n', default: 2, description: 'timed epochs per configuration' },
  }),
  async run(values) {
    const { images: count, size, epochs } = values;
    const dir = await mkdtemp(join(tmpdir(), 'pixelrepa-bench-data-'));
    const quiet = () => {};
    try {
      const root = join(dir, 'train');
      const files = await writeJpegs(root, count);
      const results: Record<string, unknown> = {};

      // Pure-JS crop alone (no decoding), on already decoded 500 × 375 images.
      const decoded = await Promise.all(files.slice(0, 16).map((f) => decodeImageFile(f)));
      results.cropOnly = measure(decoded.length * 4, () => {
        for (let r = 0; r < 4; r++) for (const image of decoded) admCenterCrop(image, size);
      });

      for (const workers of [0, 1, 2]) {
        const folder = await imageFolder(root, { size, workers, classIndexPath: false, warn: quiet });
        try {
          await timeEpochs(folder, 1); // warm-up: worker start, JIT
          results[workers === 0 ? 'decodeCropFlipMainThread' : `decodeCropFlip${workers}Worker${workers > 1 ? 's' : ''}`] = await timeEpochs(folder, epochs);
        } finally {
          await folder.close();
        }
      }

      const out = join(dir, 'cache');
      const prepareStart = performance.now();
      await prepare(root, { size, out, workers: 2, warn: quiet });
      results.preparePackedCache2Workers = rate(count, (performance.now() - prepareStart) / 1000);
      const cache = await openPackedCache(out);
      try {
        results.packedCacheFirstEpochVerifying = await timeEpochs(cache, 1);
        results.packedCacheRead = await timeEpochs(cache, epochs);
      } finally {
        await cache.close();
      }

      for (const imageSize of [32, 64]) {
        const data = proceduralDataset({ imageSize });
        data.render(0);
        results[`procedural${imageSize}`] = measure(2000, () => {
          for (let i = 0; i < 2000; i++) data.render(i);
        });
      }

      return {
        setup: { images: count, sourceSize: '500×375 JPEG (quality 90)', cropSize: size, flip: true, batchSize: 16, epochs },
        libraries: { sharp: sharp.versions.sharp, libvips: sharp.versions.vips },
        results,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

async function writeJpegs(root: string, count: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const width = 500;
    const height = 375;
    const pixels = new Uint8Array(width * height * 3);
    for (let p = 0; p < width * height; p++) {
      const x = p % width;
      const y = Math.floor(p / width);
      pixels[p * 3] = (x + i * 7) & 255;
      pixels[p * 3 + 1] = (y * 2 + i * 13) & 255;
      pixels[p * 3 + 2] = (128 + 100 * Math.sin((x * y) / 900 + i)) | 0;
    }
    const path = join(root, `class-${i % 2}`, `${String(i).padStart(4, '0')}.jpg`);
    await mkdir(join(root, `class-${i % 2}`), { recursive: true });
    await writeFile(
      path,
      await sharp(pixels, { raw: { width, height, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    files.push(path);
  }
  return files;
}

async function timeEpochs(source: SampleSource, epochs: number): Promise<Throughput> {
  const loader = new DataLoader(source, { batchSize: 16, flip: true, seed: 0, concurrency: 8, prefetch: 2, warn: () => {} });
  let images = 0;
  const start = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for await (const batch of loader.epoch(epoch)) images += batch.shape[0];
  }
  return rate(images, (performance.now() - start) / 1000);
}

function measure(images: number, body: () => void): Throughput {
  const start = performance.now();
  body();
  return rate(images, (performance.now() - start) / 1000);
}

function rate(images: number, seconds: number): Throughput {
  return { images, seconds: Number(seconds.toFixed(3)), imagesPerSecond: Number((images / seconds).toFixed(1)) };
}
