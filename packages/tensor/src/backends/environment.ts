// Where we run. Node built-ins are reached through `process.getBuiltinModule` (Node ≥ 20.16), so
// no `node:` import appears anywhere a browser bundler could follow it.

/** True in Node (and Node-compatible runtimes), false in browsers and web workers. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** The built-ins this package uses (types only: nothing is imported here). */
interface NodeBuiltins {
  'node:fs': typeof import('node:fs');
  'node:os': typeof import('node:os');
  'node:path': typeof import('node:path');
  'node:module': typeof import('node:module');
  'node:v8': typeof import('node:v8');
  'node:worker_threads': typeof import('node:worker_threads');
}

/** A Node built-in module; throws outside Node. */
export function nodeBuiltin<ID extends keyof NodeBuiltins>(id: ID): NodeBuiltins[ID] {
  if (!isNode() || typeof process.getBuiltinModule !== 'function') {
    throw new Error(`${id} is only available in Node ≥ 20.16 (this runtime: ${isNode() ? process.version : 'not Node'})`);
  }
  return process.getBuiltinModule(id) as NodeBuiltins[ID];
}

/** Logical cores: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers. */
export function coreCount(): number {
  if (isNode()) return nodeBuiltin('node:os').availableParallelism();
  const reported = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  return typeof reported === 'number' && reported > 0 ? reported : 1;
}

/** Browsers: whether the page may share memory with workers (needed for WASM threads). */
export function isCrossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}
