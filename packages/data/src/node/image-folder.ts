import { availableParallelism } from 'node:os';
import { admCenterCrop } from '../center-crop.js';
import type { RgbImage } from '../image.js';
import type { Sample, SampleSource } from '../loader/sample-source.js';
import { formatSkipSummary, SkipReport, type SkipSummary } from '../loader/skip-report.js';
import { defaultClassIndexPath, writeClassIndex } from './class-index.js';
import { decodeImageFile } from './decode-image.js';
import { DecodePool } from './decode-pool.js';
import { imageExtensions, scanImageFolder, type ScannedFile } from './scan-image-folder.js';

export interface ImageFolderOptions {
  /** ADM-center-crop every image to size × size (what training and FID use). Without it images keep their decoded size. */
  size?: number;
  /** Decoding threads; 0 decodes on the main thread. Default: cores − 1, between 1 and 4. */
  workers?: number;
  /** Where to write the class index JSON; default `<root>.classes.json` beside the folder; false: don't write. */
  classIndexPath?: string | false;
  /** File extensions that count as images (lower case). Default torchvision's list. */
  extensions?: readonly string[];
  /** Where warnings go (one line per skipped file). Default console.warn. */
  warn?: (line: string) => void;
  /**
   * Pixel budget per image (width × height from the header): bigger images are skipped as
   * 'too-large' before decoding, so one file cannot take gigabytes. Default 64 Mpx (DEFAULT_MAX_PIXELS).
   */
  maxPixels?: number;
}

/**
 * An image-folder dataset (`root/<class>/<image>`, torchvision's ImageFolder order and labels),
 * decoded with sharp, converted to RGB as PIL does, and ADM-center-cropped, on worker threads.
 * Use it with a `DataLoader`; `close()` stops the workers.
 *
 * ```ts
 * const train = await imageFolder('imagenet/train', { size: 256, workers: 4 });
 * const loader = new DataLoader(train, { batchSize: 128, flip: true, seed: 0 });
 * ```
 */
export class ImageFolder implements SampleSource {
  readonly root: string;
  readonly classes: readonly string[];
  readonly files: readonly ScannedFile[];
  /** What the scan left out (empty classes, non-image files). */
  readonly scanSummary: SkipSummary;
  readonly size: number | undefined;
  private readonly pool: DecodePool | undefined;
  private readonly maxPixels: number | undefined;

  constructor(root: string, classes: string[], files: ScannedFile[], scanSummary: SkipSummary, options: ImageFolderOptions) {
    this.root = root;
    this.classes = classes;
    this.files = files;
    this.scanSummary = scanSummary;
    this.size = options.size;
    this.maxPixels = options.maxPixels;
    const workers = options.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    this.pool = workers > 0 ? new DecodePool(workers) : undefined;
  }

  get length(): number {
    return this.files.length;
  }

  /** Images per class. → [classes] */
  counts(): number[] {
    const counts = new Array<number>(this.classes.length).fill(0);
    for (const file of this.files) counts[file.label]++;
    return counts;
  }

  async load(index: number): Promise<Sample> {
    const file = this.files[index];
    if (!file) throw new Error(`imageFolder: index ${index} is outside [0, ${this.files.length})`);
    let image: RgbImage;
    if (this.pool) {
      image = await this.pool.decode(file.path, this.size, this.maxPixels);
    } else {
      const decoded = await decodeImageFile(file.path, { maxPixels: this.maxPixels });
      image = this.size ? admCenterCrop(decoded, this.size) : decoded;
    }
    return { image, label: file.label };
  }

  describe(index: number): string {
    return this.files[index]?.path ?? `sample ${index}`;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/**
 * Scans `root` (see `scanImageFolder`), warns once per file it leaves out, writes the class
 * index JSON, and returns the dataset.
 */
export async function imageFolder(root: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
  if (options.size !== undefined && !(Number.isInteger(options.size) && options.size >= 1)) {
    throw new Error(`imageFolder: size must be a positive integer, found ${options.size}`);
  }
  if (options.maxPixels !== undefined && !(options.maxPixels >= 1)) {
    throw new Error(`imageFolder: maxPixels must be a positive number of pixels, found ${options.maxPixels}`);
  }
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const scan = await scanImageFolder(root, options.extensions ?? imageExtensions);
  const report = new SkipReport(warn);
  for (const { path, reason, detail } of scan.skipped) report.add(reason, `${path}: ${detail}`);
  const summary = report.summary();
  if (summary.total > 0) warn(`data: ${root}: ${formatSkipSummary(summary)} while scanning`);
  const folder = new ImageFolder(root, scan.classes, scan.files, summary, options);
  if (options.classIndexPath !== false) {
    const path = options.classIndexPath ?? defaultClassIndexPath(root);
    try {
      await writeClassIndex(path, scan.classes, folder.counts());
    } catch (error) {
      warn(`data: could not write the class index to ${path} (${(error as Error).message}); pass classIndexPath to choose another place`);
    }
  }
  return folder;
}
