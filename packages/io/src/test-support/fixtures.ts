// Where the reference fixtures are (PIXELREPA_FIXTURES, else shared/fixtures beside the repository)
// and which of them are missing. No tensors, no vitest: the fixture checker's CLI uses it too.
// Kept in io because every package's tests need it and @pixelrepa/io imports no other package.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The one command that writes the reference fixtures (docs/fixtures.md says what it regenerates). */
export const makeFixturesCommand = 'npm run make-fixtures -- --official <PixelREPA checkout> --out ../shared/fixtures';

/**
 * The fixtures folder: `$PIXELREPA_FIXTURES` when set (even if it does not exist: the caller then
 * reports its cases missing), else the first `shared/fixtures` holding an INDEX.md beside the
 * working directory or one of its parents; `undefined` when there is none.
 */
export function findFixturesRoot(): string | undefined {
  const fromEnv = process.env.PIXELREPA_FIXTURES;
  if (fromEnv) return resolve(fromEnv);
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, '..', 'shared', 'fixtures'), join(dir, 'shared', 'fixtures')]) {
      if (existsSync(join(candidate, 'INDEX.md'))) return resolve(candidate);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Why reference fixtures are missing and how to get them (for errors and skip notes). */
export function missingFixturesMessage(cases: string[] = []): string {
  const root = findFixturesRoot();
  const where = root ? `in ${root}` : 'beside the repository (../shared/fixtures) and PIXELREPA_FIXTURES is not set';
  const what = cases.length ? `reference fixture${cases.length > 1 ? 's' : ''} ${cases.join(', ')} not found` : 'reference fixtures not found';
  return `${what} ${where}: write them with \`${makeFixturesCommand}\` (docs/fixtures.md) or set PIXELREPA_FIXTURES to a folder of cases`;
}

/** The fixtures folder, or an error saying where it was looked for and how to get it. */
export function fixturesRoot(): string {
  const root = findFixturesRoot();
  if (!root || !existsSync(root)) throw new Error(missingFixturesMessage());
  return root;
}

/** The path of case `name` (a folder with a case.json) under the fixtures folder; throws when it is missing. */
export function fixtureDir(name: string): string {
  if (missingFixtureCases([name]).length) throw new Error(missingFixturesMessage([name]));
  return join(findFixturesRoot()!, name);
}

/**
 * The path of `parts` under case `name`, whether or not it exists: for constants at the top of a test
 * file, read only by tests registered with itWithFixtures / describeWithFixtures.
 */
export function fixturePath(name: string, ...parts: string[]): string {
  return join(findFixturesRoot() ?? join('shared', 'fixtures'), name, ...parts);
}

/** Those of `cases` (case folder names) that have no case.json under the fixtures folder. */
export function missingFixtureCases(cases: string[]): string[] {
  const root = findFixturesRoot();
  return cases.filter((name) => !root || !existsSync(join(root, name, 'case.json')));
}

/**
 * Whether missing fixtures fail the tests instead of skipping them: on CI (`CI` set and not
 * "false"/"0") and when `PIXELREPA_REQUIRE_FIXTURES=1`.
 */
export function fixturesRequired(): boolean {
  const on = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
  return on(process.env.CI) || on(process.env.PIXELREPA_REQUIRE_FIXTURES);
}
