// Test helper (not exported): writes small images of every kind the loaders must handle, with sharp.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** A smooth RGB pattern that survives JPEG well. → [H, W, 3] */
export function patternRgb(width: number, height: number, seed = 0): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = (x * 255) / Math.max(1, width - 1);
      data[o + 1] = (y * 255) / Math.max(1, height - 1);
      data[o + 2] = (128 + 100 * Math.sin((x + y + seed * 13) / 5)) | 0;
    }
  }
  return data;
}

type Kind =
  'jpeg' | 'png' | 'webp' | 'grey-jpeg' | 'grey-png' | 'grey-alpha-png' | 'rgba-png' | 'palette-png' | 'cmyk-jpeg' | 'cmyk-tiff' | 'grey16-png' | 'rgb16-png';

/** Encodes a width × height image of `kind` (pixels derived from `patternRgb`). */
export async function encodeImage(kind: Kind, width: number, height: number, seed = 0): Promise<Buffer> {
  const rgb = patternRgb(width, height, seed);
  const raw = (data: Uint8Array | Uint16Array, channels: 1 | 2 | 3 | 4) => sharp(data, { raw: { width, height, channels } });
  const grey = rgb.filter((_, i) => i % 3 === 0);
  switch (kind) {
    case 'jpeg':
      return raw(rgb, 3).jpeg({ quality: 95 }).toBuffer();
    case 'png':
      return raw(rgb, 3).png().toBuffer();
    case 'webp':
      return raw(rgb, 3).webp({ lossless: true }).toBuffer();
    case 'grey-jpeg':
      return raw(grey, 1).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer();
    case 'grey-png':
      return raw(grey, 1).toColourspace('b-w').png().toBuffer();
    case 'grey-alpha-png': {
      const la = new Uint8Array(width * height * 2).map((_, i) => (i % 2 === 0 ? grey[i >> 1] : (i * 5) % 256));
      return raw(la, 2).toColourspace('b-w').png().toBuffer();
    }
    case 'rgba-png': {
      const rgba = new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 3 ? (i % 3) * 127 : rgb[(i >> 2) * 3 + (i % 4)]));
      return raw(rgba, 4).png().toBuffer();
    }
    case 'palette-png': {
      const three = rgb.map(
        (_, i) =>
          [
            [200, 30, 40],
            [10, 220, 90],
            [30, 40, 250],
          ][Math.floor(i / 3 / width) % 3][i % 3],
      );
      return raw(three, 3).png({ palette: true, colours: 4, dither: 0 }).toBuffer();
    }
    case 'cmyk-jpeg':
      return raw(rgb, 3).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    case 'cmyk-tiff':
      return raw(rgb, 3).toColourspace('cmyk').tiff({ compression: 'lzw' }).toBuffer();
    case 'grey16-png': {
      const values = Uint16Array.from({ length: width * height }, (_, i) => (i * 97) % 1024);
      return raw(values, 1).toColourspace('grey16').png().toBuffer();
    }
    case 'rgb16-png': {
      const values = Uint16Array.from(rgb, (v, i) => v * 256 + (i % 256));
      return raw(values, 3).toColourspace('rgb16').png().toBuffer();
    }
  }
}

export async function writeImage(path: string, kind: Kind, width: number, height: number, seed = 0): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await encodeImage(kind, width, height, seed));
}

/** Files that are not usable images, by how they fail. */
export async function writeBadFile(path: string, kind: 'truncated' | 'text' | 'empty' | 'dangling-link' | 'folder'): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  switch (kind) {
    case 'truncated': {
      const whole = await encodeImage('jpeg', 64, 48);
      return writeFile(path, whole.subarray(0, whole.length >> 1));
    }
    case 'text':
      return writeFile(path, 'this is a text file with an image extension\n');
    case 'empty':
      return writeFile(path, '');
    case 'dangling-link':
      return symlink(`${path}.missing-target`, path);
    case 'folder':
      await mkdir(path, { recursive: true });
  }
}

/**
 * An image folder with every kind of good and odd input (grey, CMYK, 16-bit, alpha, palette,
 * smaller than the crop) and of bad input (truncated, text, empty, dangling link, a folder named
 * like an image, an empty class, a non-image file).
 */
export async function buildMessyFolder(root: string): Promise<{ good: number; bad: Record<string, number> }> {
  await writeImage(join(root, 'apple/0.jpg'), 'jpeg', 50, 37, 1);
  await writeImage(join(root, 'apple/1.png'), 'png', 40, 64, 2);
  await writeImage(join(root, 'apple/2.webp'), 'webp', 33, 33, 3);
  await writeImage(join(root, 'apple/3-grey.jpg'), 'grey-jpeg', 48, 40, 4);
  await writeImage(join(root, 'apple/4-cmyk.jpg'), 'cmyk-jpeg', 40, 40, 5);
  await writeImage(join(root, 'banana/0-16bit.png'), 'rgb16-png', 36, 30, 6);
  await writeImage(join(root, 'banana/1-grey16.png'), 'grey16-png', 20, 20, 7);
  await writeImage(join(root, 'banana/2-alpha.png'), 'rgba-png', 30, 24, 8);
  await writeImage(join(root, 'banana/3-palette.png'), 'palette-png', 24, 30, 9);
  await writeImage(join(root, 'banana/4-tiny.png'), 'png', 10, 7, 10);
  await writeImage(join(root, 'cherry/0-grey-alpha.png'), 'grey-alpha-png', 32, 18, 11);
  await writeBadFile(join(root, 'cherry/1-truncated.jpg'), 'truncated');
  await writeBadFile(join(root, 'cherry/2-text.jpg'), 'text');
  await writeBadFile(join(root, 'cherry/3-empty.png'), 'empty');
  await writeBadFile(join(root, 'cherry/4-gone.jpg'), 'dangling-link');
  await writeBadFile(join(root, 'cherry/5-folder.jpg'), 'folder');
  await writeImage(join(root, 'cherry/6.jpg'), 'jpeg', 64, 40, 12);
  await writeBadFile(join(root, 'durian/.keep'), 'empty');
  await writeBadFile(join(root, 'empty-class'), 'folder');
  return { good: 12, bad: { truncated: 1, 'not-an-image': 2, unreadable: 1 } };
}
