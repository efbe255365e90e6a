import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFolder } from './image-folder.js';
import { scanImageFolder } from './scan-image-folder.js';
import { writeBadFile } from './test-images.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelrepa-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function touch(root: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), '');
  }
}

describe('scanImageFolder (torchvision ImageFolder order)', () => {
  it('sorts classes by code point, as Python sorted() does', async () => {
    const root = join(dir, 'classes');
    await touch(root, ['b/1.png', 'B/1.png', 'a_b/1.png', 'a-b/1.png', 'é/1.png', 'e/1.png', 'n01440764/1.png']);
    await writeFile(join(root, 'stray.jpg'), '');
    const scan = await scanImageFolder(root);
    expect(scan.classes).toEqual(['B', 'a-b', 'a_b', 'b', 'e', 'n01440764', 'é']);
    expect(scan.files.map((f) => f.label)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('walks class folders like sorted(os.walk()): folders by full path, files by name, extensions case-insensitive', async () => {
    const root = join(dir, 'walk');
    await touch(root, ['cls/z.PNG', 'cls/a/c/2.jpg', 'cls/a/1.jpeg', 'cls/a-b/3.webp', 'cls/a/readme.txt', 'cls/a/0.JPEG']);
    const scan = await scanImageFolder(root);
    // "cls" < "cls/a" < "cls/a-b" < "cls/a/c" because '-' (0x2D) sorts before '/' (0x2F).
    expect(scan.files.map((f) => relative(root, f.path))).toEqual(['cls/z.PNG', 'cls/a/0.JPEG', 'cls/a/1.jpeg', 'cls/a-b/3.webp', 'cls/a/c/2.jpg']);
    expect(scan.skipped).toEqual([
      { path: join(root, 'cls/a/readme.txt'), reason: 'unsupported-extension', detail: expect.stringMatching(/not an image extension/) },
    ]);
  });

  it('keeps empty classes (labels do not shift), descends into folders named like images, keeps dangling links as candidates', async () => {
    const root = join(dir, 'odd');
    await touch(root, ['a/1.png', 'c/1.png', 'c/inside.jpg/2.png']);
    await mkdir(join(root, 'b'), { recursive: true });
    await writeBadFile(join(root, 'c', 'gone.jpg'), 'dangling-link');
    const scan = await scanImageFolder(root);
    expect(scan.classes).toEqual(['a', 'b', 'c']);
    expect(scan.files.map((f) => [relative(root, f.path), f.label])).toEqual([
      ['a/1.png', 0],
      ['c/1.png', 2],
      ['c/gone.jpg', 2],
      ['c/inside.jpg/2.png', 2],
    ]);
    expect(scan.skipped.map((s) => s.reason)).toEqual(['empty-class']);
  });

  it('says what it expected when the root has no class folders', async () => {
    await touch(dir, ['flat/1.png']);
    await expect(scanImageFolder(join(dir, 'flat'))).rejects.toThrow(/has no sub-folders; expected root\/<class>\/<image>/);
    await expect(scanImageFolder(join(dir, 'missing'))).rejects.toThrow(/cannot read .*missing/);
  });
});

describe('imageFolder class index', () => {
  it('writes <root>.classes.json beside the folder (or to classIndexPath) and warns once per left-out file', async () => {
    const root = join(dir, 'indexed');
    await touch(root, ['dog/1.png', 'dog/2.png', 'cat/1.png', 'cat/notes.md']);
    await mkdir(join(root, 'emu'));
    const warnings: string[] = [];
    const folder = await imageFolder(root, { workers: 0, warn: (line) => warnings.push(line) });
    const written = JSON.parse(await readFile(join(dir, 'indexed.classes.json'), 'utf8'));
    expect(written).toMatchObject({ classes: ['cat', 'dog', 'emu'], class_to_idx: { cat: 0, dog: 1, emu: 2 }, counts: [1, 2, 0] });
    expect(warnings).toEqual([
      expect.stringMatching(/^data: skipped .*cat\/notes\.md: not an image extension .*\[unsupported-extension\]$/),
      expect.stringMatching(/^data: skipped .*emu: class 2 "emu" has no images; its label is kept \[empty-class\]$/),
      expect.stringMatching(/2 files skipped \(1 empty-class, 1 unsupported-extension\) while scanning$/),
    ]);
    expect(folder.scanSummary).toEqual({ total: 2, byReason: { 'empty-class': 1, 'unsupported-extension': 1 } });
    await imageFolder(root, { workers: 0, classIndexPath: join(dir, 'elsewhere', 'idx.json'), warn: () => {} });
    expect(JSON.parse(await readFile(join(dir, 'elsewhere', 'idx.json'), 'utf8')).classes).toEqual(['cat', 'dog', 'emu']);
  });
});
