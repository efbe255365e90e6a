import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm test` without fixtures, in a child vitest on one small fixture-reading file: skipped and
// counted at the end with the command that gets them; failing when fixtures are required.
const repository = fileURLToPath(new URL('../../..', import.meta.url));
const empty = mkdtempSync(join(tmpdir(), 'pixelrepa-no-fixtures-'));
const testFile = 'packages/metrics/src/random/numpy-random-state.test.ts';

function vitest(env: Record<string, string>) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'CI' && name !== 'PIXELREPA_REQUIRE_FIXTURES'),
  );
  const run = spawnSync(process.execPath, [join(repository, 'node_modules/vitest/vitest.mjs'), 'run', testFile], {
    cwd: repository,
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', PIXELREPA_FIXTURES: empty, ...env },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('npm test without reference fixtures', () => {
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('passes, and ends by saying how many reference checks did not run and the command that writes them', () => {
    const { status, output } = vitest({});
    expect(status, output).toBe(0);
    expect(output).toMatch(/1 reference check did not run: no reference fixtures \(fid-stats-and-frechet\)/);
    expect(output).toContain('npm run make-fixtures -- --official <PixelREPA checkout> --out ../shared/fixtures');
  });

  // CI=true works the same way (fixturesRequired, tested in @pixelrepa/io).
  it('fails with PIXELREPA_REQUIRE_FIXTURES=1, saying which fixtures are missing and how to get them', () => {
    const { status, output } = vitest({ PIXELREPA_REQUIRE_FIXTURES: '1' });
    expect(status, output).toBe(1);
    expect(output).toMatch(/reference fixture fid-stats-and-frechet not found in .*: write them with `npm run make-fixtures/);
    expect(output).not.toContain('reference checks did not run');
  });
});
