import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `@pixelrepa/<name>` → `packages/<name>/src/index.ts`: the page bundles the packages' sources,
 * the same code Node runs, with no build of the packages first (as the root vitest config does).
 */
export function workspaceAliases(packagesDir = fileURLToPath(new URL('../../../packages', import.meta.url))): Array<{ find: RegExp; replacement: string }> {
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ find: new RegExp(`^@pixelrepa/${entry.name}$`), replacement: `${packagesDir}/${entry.name}/src/index.ts` }));
}
