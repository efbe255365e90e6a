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

  const bins = Object.values((manifest.bin ?? {}) as Record<string, string>).map((target) => target.replace(/^\.\//, ''));

  it('ships only dist, README.md, package.json and its bin launchers', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = pack.files.map((f: { path: string }) => f.path);
    expect(files.filter((file) => !(file.startsWith('dist/') || file === 'README.md' || file === 'package.json' || bins.includes(file)))).toEqual([]);
    expect(files).toContain('README.md');
    for (const bin of bins) expect(files, `bin ${bin} must be published`).toContain(bin);
  });

  it('links its bins in a fresh clone: each is a committed file outside dist/ (npm ci links bins before the build)', () => {
    for (const bin of bins) {
      expect(bin.startsWith('dist/'), `${bin}: npm ci skips a bin whose file does not exist yet`).toBe(false);
      const tracked = execFileSync('git', ['ls-files', '--', bin], { cwd: dir, encoding: 'utf8' }).trim();
      expect(tracked, `${bin} must be committed`).toBe(bin);
      expect(readFileSync(join(dir, bin), 'utf8').startsWith('#!/usr/bin/env node\n'), `${bin} needs a node shebang`).toBe(true);
    }
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
