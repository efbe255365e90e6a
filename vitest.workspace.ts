/**
 * The test projects: one per package (and per tool / example that has tests).
 * Tests import sibling packages from their `src` (aliases in vitest.config.ts), so no build
 * is needed to run them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const groups = ['packages', 'tools', 'examples'];

function projectsIn(group: string) {
  if (!existsSync(group)) return [];
  return readdirSync(group, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(group, entry.name, 'package.json')))
    .map((entry) => ({
      extends: true as const,
      test: {
        name: `${group === 'packages' ? '' : `${group}/`}${entry.name}`,
        root: join(group, entry.name),
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    }));
}

export default groups.flatMap(projectsIn);
