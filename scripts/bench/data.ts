// Data-pipeline benchmark: images/s for decode + ADM center crop + flip at 256 px (JPEGs it
// generates into a temp folder) on the main thread and on 1 and 2 worker threads, preparing and
// reading the packed cache, and rendering the procedural dataset. Prints JSON with machine info.
//
//   npm run bench -- data [--images 64] [--size 256] [--epochs 2]
//   (or: npx tsx scripts/bench/data.ts …)
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DataLoader, admCenterCrop, proceduralDataset, type SampleSource } from '@pixelrepa/data';
import { decodeImageFile, imageFolder, openPackedCache, prepare } from '@pixelrepa/data/node';

interface Throughput {
  images: number;
  seconds: number;
  imagesPerSecond: number;
}

/** Runs the benchmark; `args` are the command-line words after the benchmark's name. */
export async function run(args: string[] = []): Promise<object> {
  const { values } = parseArgs({
    args,
    options: { images: { type: 'string', default: '64' }, size: { type: 'string', default: '256' }, epochs: { type: 'string', default: '2' } },
  });
  const count = Number(values.images);
  const size = Number(values.size);
  const epochs = Number(values.epochs);
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
      benchmark: 'data',
      setup: { images: count, sourceSize: '500×375 JPEG (quality 90)', cropSize: size, flip: true, batchSize: 16, epochs },
      results,
      machine: machineInfo(),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

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
    await writeFile(path, await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
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

function machineInfo() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    platform: `${platform()} ${release()}`,
    node: process.version,
    sharp: sharp.versions.sharp,
    libvips: sharp.versions.vips,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run(process.argv.slice(2)), null, 2));
}
