// Test-only: where the shared reference fixtures are (PIXELREPA_FIXTURES, else ../shared/fixtures
// beside the repository). Kept here because @pixelrepa/io may not import @pixelrepa/tensor.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function fixtureDir(name: string): string {
  const fromEnv = process.env.PIXELREPA_FIXTURES;
  if (fromEnv) return join(resolve(fromEnv), name);
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, '..', 'shared', 'fixtures'), join(dir, 'shared', 'fixtures')]) {
      if (existsSync(join(candidate, 'INDEX.md'))) return join(resolve(candidate), name);
    }
    if (dirname(dir) === dir) throw new Error('reference fixtures not found: set PIXELREPA_FIXTURES or place the repository beside shared/fixtures');
  }
}
