// A package-lock.json for a consumer project that installs packed @pixelrepa tarballs, with every
// other package pinned to the version (and integrity) the workspace's lock resolved. `npm ci`
// then installs it from the npm cache alone: the cache `npm ci` fills holds tarballs (found by
// integrity), not the registry metadata that resolving a range would need.

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [field: string]: unknown;
}

export interface Lockfile {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** A packed workspace package: its name, tarball path relative to the consumer, and integrity. */
export interface Tarball {
  name: string;
  file: string;
  integrity: string;
}

/**
 * The lock of a project named `projectName` whose dependencies are `tarballs` (each installed at
 * the top level). Third-party packages are those `workspaceLock` resolves for the same
 * requirements, at the same places in the tree; their `dev` / `peer` flags are dropped (they
 * describe the workspace, not the consumer).
 */
export function consumerLockfile(projectName: string, tarballs: readonly Tarball[], workspaceLock: Lockfile): Lockfile {
  const workspace = workspaceLock.packages;
  const packed = new Map(tarballs.map((tarball) => [tarball.name, tarball]));
  const packages: Record<string, LockEntry> = {
    '': { name: projectName, dependencies: Object.fromEntries(tarballs.map((t) => [t.name, `file:${t.file}`])) },
  };
  const sourceOf = new Map<string, string>();
  const queue: string[] = [];

  const place = (path: string, source: string, entry: LockEntry) => {
    if (packages[path]) return;
    packages[path] = entry;
    sourceOf.set(path, source);
    queue.push(path);
  };

  for (const tarball of tarballs) {
    const source = workspaceSource(workspace, tarball.name);
    const { name: _name, ...entry } = workspace[source]!;
    place(`node_modules/${tarball.name}`, source, { ...entry, resolved: `file:${tarball.file}`, integrity: tarball.integrity });
  }

  while (queue.length > 0) {
    const path = queue.shift()!;
    const entry = workspace[sourceOf.get(path)!]!;
    const optionalPeers = new Set(
      Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([name]) => name),
    );
    const wanted: Array<[string, boolean]> = [
      ...Object.keys(entry.dependencies ?? {}).map((name): [string, boolean] => [name, true]),
      ...Object.keys(entry.peerDependencies ?? {})
        .filter((name) => !optionalPeers.has(name))
        .map((name): [string, boolean] => [name, true]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name): [string, boolean] => [name, false]),
    ];
    for (const [name, required] of wanted) {
      if (name.startsWith('@pixelrepa/')) {
        if (!packed.has(name)) throw new Error(`${path} needs ${name}: install its tarball too`);
        continue;
      }
      const found = resolveFrom(workspace, sourceOf.get(path)!, name);
      if (!found) {
        if (required) throw new Error(`the workspace lock resolves no ${name} for ${sourceOf.get(path)}: run npm install in the workspace`);
        continue; // an optional dependency for another platform
      }
      const { dev: _dev, devOptional, peer: _peer, ...rest } = workspace[found]!;
      if (!found.startsWith('node_modules/'))
        throw new Error(`the workspace lock places ${name} at ${found}, inside a workspace: not reproducible in a consumer`);
      if (rest.link) throw new Error(`${found} is a link in the workspace lock: only @pixelrepa packages may be links`);
      place(found, found, devOptional ? { ...rest, optional: true } : rest);
    }
  }
  return { name: projectName, lockfileVersion: 3, requires: true, packages };
}

function workspaceSource(workspace: Record<string, LockEntry>, name: string): string {
  const link = workspace[`node_modules/${name}`];
  if (!link?.link || typeof link.resolved !== 'string') throw new Error(`${name} is not a workspace package in the lock`);
  return link.resolved;
}

/** Node's lookup: `from/node_modules/name`, then each enclosing node_modules, then the top. */
function resolveFrom(workspace: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base}/node_modules/${name}`;
    if (workspace[candidate]) return candidate;
    const cut = base.lastIndexOf('/node_modules/');
    if (cut < 0) break;
    base = base.slice(0, cut);
  }
  return workspace[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
}
