// What a package's published sources import: the bare specifiers of every non-test file under
// src/, and the files an entry reaches through relative imports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** The module specifiers `source` imports (static, side-effect and dynamic with a literal). */
export function specifiersOf(source: string): string[] {
  return [...source.matchAll(importPattern)].map((match) => match[1]!);
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative and `node:` specifiers. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every `.ts` file under `dir` except tests (`*.test.ts`). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The packages imported by the non-test sources under `srcDir`. */
export function importedPackages(srcDir: string): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(srcDir)) {
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      const name = packageOf(specifier);
      if (name) found.add(name);
    }
  }
  return found;
}

/** The packages imported by `entry` and every file it reaches through relative imports. */
export function packagesReachedFrom(entry: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      const name = packageOf(specifier);
      if (name) {
        found.add(name);
      } else if (specifier.startsWith('.')) {
        const base = resolve(dirname(file), specifier.replace(/\.js$/, ''));
        const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
        if (target) queue.push(target);
      }
    }
  }
  return found;
}
