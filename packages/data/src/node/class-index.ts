import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The class-index file: class names in label order and the name → label map. */
export interface ClassIndexFile {
  format: 'pixelrepa-class-index';
  version: 1;
  classes: string[];
  /** torchvision's `class_to_idx`. */
  class_to_idx: Record<string, number>;
  /** Images found per class. */
  counts?: number[];
}

/** Where `imageFolder(root)` writes its class index by default: beside the folder, `<root>.classes.json`. */
export function defaultClassIndexPath(root: string): string {
  const trimmed = root.replace(/[\\/]+$/, '');
  return join(dirname(trimmed), `${basename(trimmed)}.classes.json`);
}

/** Writes the class index atomically (temporary file, then rename). */
export async function writeClassIndex(path: string, classes: readonly string[], counts?: readonly number[]): Promise<void> {
  const file: ClassIndexFile = {
    format: 'pixelrepa-class-index',
    version: 1,
    classes: [...classes],
    class_to_idx: Object.fromEntries(classes.map((name, index) => [name, index])),
    ...(counts ? { counts: [...counts] } : {}),
  };
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(file, null, 1) + '\n');
  await rename(temporary, path);
}

/** Reads a class index written by `writeClassIndex` (or any JSON with a `classes` list). */
export async function readClassIndex(path: string): Promise<ClassIndexFile> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<ClassIndexFile>;
  if (!Array.isArray(parsed.classes) || !parsed.classes.every((c) => typeof c === 'string')) {
    throw new Error(`${path}: expected a JSON object with "classes": [names in label order]`);
  }
  return {
    format: 'pixelrepa-class-index',
    version: 1,
    classes: parsed.classes,
    class_to_idx: parsed.class_to_idx ?? Object.fromEntries(parsed.classes.map((name, index) => [name, index])),
    ...(parsed.counts ? { counts: parsed.counts } : {}),
  };
}
