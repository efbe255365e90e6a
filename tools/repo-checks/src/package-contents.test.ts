import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));

describe.each(packages)('@pixelrepa/%s is publishable on its own', (name) => {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

  it('ships only dist, README.md and package.json', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = pack.files.map((f: { path: string }) => f.path);
    expect(files.filter((file) => !(file.startsWith('dist/') || file === 'README.md' || file === 'package.json'))).toEqual([]);
    expect(files).toContain('README.md');
  });

  it('declares ESM exports with types first and its side effects', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    for (const [entry, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
      if (entry === './package.json') continue;
      expect(Object.keys(target as object)[0], `${entry}: "types" must come first`).toBe('types');
    }
  });

  it('depends on other @pixelrepa packages with "*"', () => {
    for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies } as Record<string, string>)) {
      if (dep.startsWith('@pixelrepa/')) expect(range, dep).toBe('*');
    }
  });
});
