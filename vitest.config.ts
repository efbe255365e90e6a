import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';
import MissingFixturesReporter from './vitest.fixtures-reporter.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `@pixelrepa/<name>[/<subpath>]` → the package's source (`src/index.ts`, `src/<subpath>.ts` or
 * `src/<subpath>/index.ts`) for every subpath its package.json exports, so tests need no build.
 */
function sourceAliases() {
  const aliases: Array<{ find: RegExp; replacement: string }> = [];
  for (const name of readdirSync(here('./packages'))) {
    const manifest = here(`./packages/${name}/package.json`);
    if (!existsSync(manifest)) continue;
    const exported = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).exports ?? { '.': {} });
    for (const subpath of exported.filter((key) => key !== '.' && key !== './package.json')) {
      const base = `./packages/${name}/src/${subpath.slice(2)}`;
      const file = [`${base}.ts`, `${base}/index.ts`].find((candidate) => existsSync(here(candidate)));
      if (file) aliases.push({ find: new RegExp(`^@pixelrepa/${name}/${subpath.slice(2)}$`), replacement: here(file) });
    }
    aliases.push({ find: new RegExp(`^@pixelrepa/${name}$`), replacement: here(`./packages/${name}/src/index.ts`) });
  }
  return aliases;
}

export default defineConfig({
  resolve: { alias: sourceAliases() },
  test: {
    projects,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The second says how many reference checks did not run for lack of fixtures (and how to get them).
    reporters: ['default', new MissingFixturesReporter()],
  },
});
