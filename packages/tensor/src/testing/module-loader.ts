import type { ModuleLoader } from '../backends/types.js';

/** An error shaped like Node's when `specifier` is not installed. */
export function moduleNotFoundError(specifier: string): Error {
  const error = new Error(`Cannot find package '${specifier}' imported from the test`) as Error & { code: string };
  error.code = 'ERR_MODULE_NOT_FOUND';
  return error;
}

/**
 * A module loader for `initBackend({ loadModule })` that serves stand-ins: each entry runs when its
 * package is imported (a stand-in for `@tensorflow/tfjs-node` registers a "tensorflow" backend, as
 * the real one does); anything else is reported as not installed.
 *
 * ```ts
 * const loadModule = standInLoader({ '@tensorflow/tfjs-node': () => tf.registerBackend('tensorflow', () => new MathBackendCPU()) });
 * await initBackend('auto', { loadModule });   // picks node
 * ```
 */
export function standInLoader(modules: Record<string, () => unknown>): ModuleLoader & { imported: string[] } {
  const imported: string[] = [];
  const loaded = new Map<string, unknown>();
  const load = async (specifier: string) => {
    imported.push(specifier);
    const make = modules[specifier];
    if (!make) throw moduleNotFoundError(specifier);
    if (!loaded.has(specifier)) loaded.set(specifier, await make());
    return loaded.get(specifier);
  };
  return Object.assign(load, { imported });
}
