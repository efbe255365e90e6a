import { admCenterCrop } from '../center-crop.js';
import { compareCodePoints, sortClassNames } from '../class-order.js';
import type { Sample, SampleSource } from '../loader/sample-source.js';
import { SampleSkipError } from '../loader/sample-source.js';
import { decodeImageInBrowser } from './decode-in-browser.js';

/** One image for the browser source: a File/Blob or a URL, and its class index. */
export interface BrowserImageItem {
  source: Blob | string;
  label: number;
  /** For messages. Default: the File's name or the URL. */
  name?: string;
}

export interface BrowserImagesOptions {
  /** ADM-center-crop every image to size × size. */
  size?: number;
}

/**
 * A `SampleSource` over images in a browser (files from an `<input type=file webkitdirectory>`,
 * drag-and-drop, or URLs), decoded with `createImageBitmap`. Undecodable images are skipped by
 * the loader like bad files on disk.
 */
export class BrowserImages implements SampleSource {
  readonly classes: readonly string[];
  readonly items: readonly BrowserImageItem[];
  private readonly size: number | undefined;

  constructor(items: readonly BrowserImageItem[], classes: readonly string[], options: BrowserImagesOptions = {}) {
    this.items = items;
    this.classes = classes;
    this.size = options.size;
  }

  get length(): number {
    return this.items.length;
  }

  async load(index: number): Promise<Sample> {
    const item = this.items[index];
    if (!item) throw new Error(`browser images: index ${index} is outside [0, ${this.items.length})`);
    let image;
    try {
      image = await decodeImageInBrowser(item.source);
    } catch (error) {
      throw new SampleSkipError('corrupt', this.describe(index), `cannot decode (${(error as Error).message})`);
    }
    return { image: this.size ? admCenterCrop(image, this.size) : image, label: item.label };
  }

  describe(index: number): string {
    const item = this.items[index];
    if (!item) return `image ${index}`;
    return item.name ?? (typeof item.source === 'string' ? item.source : ((item.source as File).name ?? `image ${index}`));
  }
}

/**
 * The browser's image folder: `files` chosen with `<input type="file" webkitdirectory>` carry
 * `webkitRelativePath = "<root>/<class>/…/<image>"`; classes are the second path parts, sorted by
 * code point as torchvision sorts them, files sorted by path.
 */
export function browserImageFolder(files: Iterable<File>, options: BrowserImagesOptions = {}): BrowserImages {
  const entries: Array<{ file: File; className: string; path: string }> = [];
  for (const file of files) {
    const path = file.webkitRelativePath || file.name;
    const parts = path.split('/');
    if (parts.length < 3 || !/\.(jpe?g|png|webp|bmp|gif)$/i.test(path)) continue;
    entries.push({ file, className: parts[1], path });
  }
  const classes = sortClassNames(new Set(entries.map((e) => e.className)));
  const labelOf = new Map(classes.map((name, label) => [name, label]));
  entries.sort((a, b) => compareCodePoints(a.path, b.path));
  const items = entries.map((e) => ({ source: e.file as Blob, label: labelOf.get(e.className)!, name: e.path }));
  return new BrowserImages(items, classes, options);
}
