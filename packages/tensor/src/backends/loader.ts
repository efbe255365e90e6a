import type { ModuleLoader } from './types.js';

/**
 * The default loader: a plain dynamic `import()`. The specifier is a variable on purpose, so
 * bundlers neither bundle nor fail on optional Node-only packages that are not installed.
 */
export const importModule: ModuleLoader = (specifier) => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

/** True when `error` says that `specifier` itself (not one of its dependencies) is not installed. */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const message = error.message;
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (package|module)|Could not resolve|Failed to (resolve|load url)/i.test(message);
  return (
    notFound &&
    (message.includes(`'${specifier}'`) ||
      message.includes(`"${specifier}"`) ||
      message.includes(` ${specifier} `) ||
      message.endsWith(` ${specifier}`) ||
      message.includes(`${specifier} (`))
  );
}
