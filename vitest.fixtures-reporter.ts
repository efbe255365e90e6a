/**
 * Ends `npm test` with how many reference checks did not run for lack of fixtures, and the command
 * that writes them. The checks are the placeholders `describeWithFixtures` / `itWithFixtures`
 * (@pixelrepa/io/testing) register, marked with `meta.missingFixtures`.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { makeFixturesCommand } from './packages/io/src/test-support/fixtures.ts';

export default class MissingFixturesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let checks = 0;
    const cases = new Set<string>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const missing = (test.meta() as { missingFixtures?: string[] }).missingFixtures;
        if (!missing) continue;
        checks++;
        for (const name of missing) cases.add(name.replace(/_/g, '-')); // kinds (jit_forward) read as case names
      }
    }
    if (checks === 0) return;
    const s = checks === 1 ? '' : 's';
    console.log(
      `\n ${checks} reference check${s} did not run: no reference fixtures (${[...cases].sort().join(', ')}).` +
        `\n Get them: ${makeFixturesCommand}` +
        '\n (docs/fixtures.md; or set PIXELREPA_FIXTURES to a folder of cases. CI=true or PIXELREPA_REQUIRE_FIXTURES=1 makes them fail instead.)\n',
    );
  }
}
