// Packs the workspace packages with `npm pack` and installs tarballs into a consumer project
// outside the workspace, offline, as a user of the published packages would get them.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumerLockfile, type Lockfile, type Tarball } from './lockfile.js';

export interface PackedWorkspace {
  /** The workspace root. */
  root: string;
  /** Folder holding the tarballs. */
  dir: string;
  /** Tarball of each package, by package name. */
  tarballs: Map<string, Tarball & { path: string }>;
}

/** The names of the workspace's publishable packages (packages/*) whose dist is missing. */
export function packagesWithoutDist(root: string, folders: readonly string[]): string[] {
  return folders.filter((folder) => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8'));
    return !existsSync(join(root, 'packages', folder, manifest.main ?? 'dist/index.js'));
  });
}

/** `npm pack` of each of `folders` (under packages/) into `dir`, in one npm run. */
export function packWorkspace(root: string, folders: readonly string[], dir: string): PackedWorkspace {
  mkdirSync(dir, { recursive: true });
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', dir, ...folders.flatMap((folder) => ['-w', `packages/${folder}`])];
  const packs = JSON.parse(npm(root, args)) as Array<{ name: string; filename: string; integrity: string }>;
  const tarballs = new Map(packs.map((pack) => [pack.name, { name: pack.name, file: '', integrity: pack.integrity, path: join(dir, pack.filename) }]));
  return { root, dir, tarballs };
}

/**
 * A project in `dir` that depends on the packages `names` (and the @pixelrepa packages they
 * need), installed from their tarballs with `npm ci --offline`: every other package comes from
 * the npm cache at the version the workspace lock pins.
 */
export async function installConsumer(packed: PackedWorkspace, dir: string, names: readonly string[]): Promise<void> {
  mkdirSync(join(dir, 'tarballs'), { recursive: true });
  const wanted = withInternalDependencies(packed, names);
  const tarballs: Tarball[] = wanted.map((name) => {
    const tarball = packed.tarballs.get(name)!;
    const file = `tarballs/${tarball.path.split('/').pop()}`;
    writeFileSync(join(dir, file), readFileSync(tarball.path));
    return { name, file, integrity: tarball.integrity };
  });
  const projectName = 'pixelrepa-consumer';
  const manifest = { name: projectName, private: true, type: 'module', dependencies: Object.fromEntries(tarballs.map((t) => [t.name, `file:${t.file}`])) };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const workspaceLock = JSON.parse(readFileSync(join(packed.root, 'package-lock.json'), 'utf8')) as Lockfile;
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(consumerLockfile(projectName, tarballs, workspaceLock), null, 2)}\n`);
  try {
    await npmAsync(dir, ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
  } catch (error) {
    const output = String((error as { stderr?: unknown }).stderr ?? (error as Error).message);
    const missing = /ENOTCACHED[\s\S]*?request to (\S+)/.exec(output)?.[1];
    throw new Error(
      missing
        ? `npm ci --offline found ${missing} missing from the npm cache: run \`npm ci\` in the workspace once (online) to fill the cache`
        : `npm ci --offline in ${dir} failed:\n${output}`,
      { cause: error },
    );
  }
}

/** `names` and every @pixelrepa package they depend on, from the tarballs' manifests. */
function withInternalDependencies(packed: PackedWorkspace, names: readonly string[]): string[] {
  const manifests = new Map<string, Record<string, Record<string, string>>>();
  for (const name of packed.tarballs.keys()) {
    const folder = name.slice('@pixelrepa/'.length);
    manifests.set(name, JSON.parse(readFileSync(join(packed.root, 'packages', folder, 'package.json'), 'utf8')));
  }
  const found = new Set<string>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    if (!manifests.has(name)) throw new Error(`${name} was not packed`);
    found.add(name);
    for (const dep of Object.keys(manifests.get(name)!.dependencies ?? {})) if (dep.startsWith('@pixelrepa/')) visit(dep);
  };
  names.forEach(visit);
  return [...found].sort();
}

function npm(cwd: string, args: string[]): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: npmEnvironment() });
}

async function npmAsync(cwd: string, args: string[]): Promise<string> {
  return (await promisify(execFile)('npm', args, { cwd, encoding: 'utf8', env: npmEnvironment(), maxBuffer: 64 << 20 })).stdout;
}

/** This process's environment without the settings of an npm run that started it (workspace, package, script). */
function npmEnvironment(): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_registry']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') || kept.has(key)));
  return { ...env, npm_config_update_notifier: 'false' };
}

/**
 * Builds every package's dist with turbo: replayed from turbo's cache when the sources did not
 * change (CI runs `npm run build` first), a real build otherwise.
 */
export async function buildPackages(root: string): Promise<void> {
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  await promisify(execFile)(turbo, ['run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], {
    cwd: root,
    env: npmEnvironment(),
    maxBuffer: 64 << 20,
  });
}
