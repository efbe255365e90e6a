import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareCodePoints } from '../class-order.js';
import type { SkipReason } from '../loader/sample-source.js';

/** torchvision's `IMG_EXTENSIONS`: files with other extensions are not samples. */
export const imageExtensions: readonly string[] = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

export interface ScannedFile {
  path: string;
  label: number;
}

export interface ImageFolderScan {
  root: string;
  /** Class folder names in torchvision's order (code-point sorted). */
  classes: string[];
  /** Every candidate image, class by class, in torchvision's order. */
  files: ScannedFile[];
  /** Files and folders left out while scanning, with why. */
  skipped: Array<{ path: string; reason: SkipReason; detail: string }>;
}

/**
 * Lists `root/<class>/**\/<image>` as torchvision's `ImageFolder` does, so label indices match
 * checkpoints trained on the same folder: classes are the sub-folders of `root` sorted by code
 * point (Python's `sorted`); within a class, folders are walked recursively (following links)
 * in sorted path order, files sorted by name, keeping those whose lower-cased name ends with an
 * image extension. Unlike torchvision, an empty class folder is kept as a class (so later labels
 * do not shift) and reported instead of raising; other files are reported and left out.
 */
export async function scanImageFolder(root: string, extensions: readonly string[] = imageExtensions): Promise<ImageFolderScan> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    throw new Error(`imageFolder: cannot read ${root} (${(error as Error).message}); expected a folder with one sub-folder per class`);
  }
  const classNames: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(join(root, entry.name))))) classNames.push(entry.name);
  }
  classNames.sort(compareCodePoints);
  if (classNames.length === 0) {
    throw new Error(`imageFolder: ${root} has no sub-folders; expected root/<class>/<image> (e.g. train/n01440764/x.JPEG)`);
  }
  const lowered = extensions.map((e) => e.toLowerCase());
  const files: ScannedFile[] = [];
  const skipped: ImageFolderScan['skipped'] = [];
  for (const [label, name] of classNames.entries()) {
    const before = files.length;
    for (const { directory, names } of await walk(join(root, name))) {
      for (const fileName of names) {
        const path = join(directory, fileName);
        if (lowered.some((e) => fileName.toLowerCase().endsWith(e))) files.push({ path, label });
        else skipped.push({ path, reason: 'unsupported-extension', detail: `not an image extension (${extensions.join(' ')})` });
      }
    }
    if (files.length === before) {
      skipped.push({ path: join(root, name), reason: 'empty-class', detail: `class ${label} "${name}" has no images; its label is kept` });
    }
  }
  return { root, classes: classNames, files, skipped };
}

/**
 * `sorted(os.walk(top, followlinks=True))`: every folder under `top` with its sorted file names,
 * folders ordered by their full path. Links to folders already visited are not followed twice.
 */
async function walk(top: string): Promise<Array<{ directory: string; names: string[] }>> {
  const found: Array<{ directory: string; names: string[] }> = [];
  const seen = new Set<string>();
  const visit = async (directory: string) => {
    const real = await realpath(directory).catch(() => directory);
    if (seen.has(real)) return;
    seen.add(real);
    const names: string[] = [];
    const subfolders: string[] = [];
    for (const entry of await readdir(directory, { withFileTypes: true }).catch(() => [])) {
      const path = join(directory, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(path)))) subfolders.push(path);
      else names.push(entry.name);
    }
    found.push({ directory, names: names.sort(compareCodePoints) });
    for (const folder of subfolders) await visit(folder);
  };
  await visit(top);
  // os.walk yields paths joined with the separator; sort the same strings Python would.
  const key = (directory: string) => [top, ...relative(top, directory).split(sep).filter(Boolean)].join('/');
  return found.sort((a, b) => compareCodePoints(key(a.directory), key(b.directory)));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
