// Tests that read reference fixtures: they run when the fixtures are there; otherwise one skipped
// placeholder per block (counted at the end of `npm test` by the missing-fixtures reporter), or one
// failing test when fixtures are required (CI, PIXELREPA_REQUIRE_FIXTURES=1).
import { describe, it } from 'vitest';
import { fixturesRequired, missingFixtureCases, missingFixturesMessage } from './fixtures.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Set on the placeholder of a fixture test that did not run: the cases it needs. */
    missingFixtures?: string[];
  }
}

/** Registers the stand-in for a block that cannot run: skipped and counted, or failing when fixtures are required. */
function missingPlaceholder(title: string, missing: string[]): void {
  const message = missingFixturesMessage(missing);
  if (fixturesRequired()) {
    it(`${title} (reference fixtures)`, () => {
      throw new Error(`${message} (fixtures are required here: CI or PIXELREPA_REQUIRE_FIXTURES is set)`);
    });
  } else {
    it.skip(`${title} (needs reference fixtures: ${missing.join(', ')})`, { meta: { missingFixtures: missing } }, () => {});
  }
}

/**
 * `describe(title, body)` when every case in `cases` is present; otherwise `body` is never called
 * (it may read the fixtures at collection time) and a placeholder stands in for the whole block.
 *
 * ```ts
 * describeWithFixtures('center crop', ['center-crop'], () => { const fixture = loadCase('center-crop'); … });
 * ```
 */
export function describeWithFixtures(title: string, cases: string[], body: () => void): void {
  const missing = missingFixtureCases(cases);
  if (missing.length === 0) describe(title, body);
  else missingPlaceholder(title, missing);
}

/** `it(title, fn, timeout)` when every case in `cases` is present; otherwise a placeholder, as for `describeWithFixtures`. */
export function itWithFixtures(title: string, cases: string[], fn: () => unknown, timeout?: number): void {
  const missing = missingFixtureCases(cases);
  if (missing.length === 0) it(title, fn, timeout);
  else missingPlaceholder(title, missing);
}

/** Registers the placeholder for reference checks named `title` whose `cases` are missing (for suites that list their cases themselves). */
export function missingFixturesTest(title: string, cases: string[]): void {
  missingPlaceholder(title, cases);
}
