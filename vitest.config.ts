import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** `@pixelrepa/<name>` → `packages/<name>/src/index.ts`, so tests run against sources. */
const packageAliases = readdirSync(here('./packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({
    find: new RegExp(`^@pixelrepa/${entry.name}$`),
    replacement: here(`./packages/${entry.name}/src/index.ts`),
  }));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@pixelrepa\/tensor\/testing$/, replacement: here('./packages/tensor/src/testing/index.ts') },
      { find: /^@pixelrepa\/io\/node$/, replacement: here('./packages/io/src/node.ts') },
      { find: /^@pixelrepa\/data\/node$/, replacement: here('./packages/data/src/node/index.ts') },
      { find: /^@pixelrepa\/train\/node$/, replacement: here('./packages/train/src/node.ts') },
      { find: /^@pixelrepa\/encoders\/node$/, replacement: here('./packages/encoders/src/node.ts') },
      { find: /^@pixelrepa\/metrics\/node$/, replacement: here('./packages/metrics/src/node.ts') },
      ...packageAliases,
    ],
  },
  test: {
    projects,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
