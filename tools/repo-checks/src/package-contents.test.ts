import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importedPackages, packagesReachedFrom } from './source-imports.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));
const versions = new Map<string, string>(
  packages.map((name) => {
    const { name: published, version } = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    return [published, version];
  }),
);

describe.each(packages)('@pixelrepa/%s is publishable on its own', (name) => {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

  const bins = Object.values((manifest.bin ?? {}) as Record<string, string>).map((target) => target.replace(/^\.\//, ''));

  it('ships only dist, README.md, package.json and its bin launchers', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
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

  it('depends on other @pixelrepa packages with a caret range of their current version', () => {
    for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
      for (const [dep, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
        if (!dep.startsWith('@pixelrepa/')) continue;
        const version = versions.get(dep);
        expect(version, `${field}.${dep}: no such package in packages/`).toBeDefined();
        expect(range, `${field}.${dep}: publish with "^${version}", not "${range}"`).toBe(`^${version}`);
      }
    }
  });

  it('publishes publicly', () => {
    expect(manifest.private, 'a published package is not private').toBeUndefined();
    expect(manifest.publishConfig?.access, 'scoped packages are private on npm unless publishConfig.access is "public"').toBe('public');
  });

  it('declares exactly the packages its sources import', () => {
    const imported = importedPackages(join(dir, 'src'));
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
    expect([...imported].filter((dep) => !declared.has(dep)).sort(), 'imported by src/ but not in dependencies or peerDependencies').toEqual([]);
    // Peers may be loaded by name at run time (the TF.js node bindings, webgpu), so only
    // dependencies are held to being imported.
    expect(
      Object.keys(manifest.dependencies ?? {})
        .filter((dep) => !imported.has(dep))
        .sort(),
      'in dependencies but imported by no file of src/',
    ).toEqual([]);
  });
});

describe('@pixelrepa/data needs sharp only in its Node entry', () => {
  const dir = join(root, 'packages', 'data');
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

  it('declares sharp an optional peer, not a dependency', () => {
    expect(manifest.dependencies?.sharp).toBeUndefined();
    expect(manifest.peerDependencies?.sharp).toBeDefined();
    expect(manifest.peerDependenciesMeta?.sharp?.optional).toBe(true);
  });

  it('keeps the browser entry free of sharp and node: modules', () => {
    const reached = packagesReachedFrom(join(dir, 'src', 'index.ts'));
    expect(reached.has('sharp')).toBe(false);
    expect(packagesReachedFrom(join(dir, 'src', 'node', 'index.ts')).has('sharp')).toBe(true);
    const browserSources = readFileSync(join(dir, 'src', 'index.ts'), 'utf8');
    expect(browserSources).not.toMatch(/from '\.\/node\//);
  });
});
