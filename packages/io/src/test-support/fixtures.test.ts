import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDir, fixturesRequired, fixturesRoot, missingFixtureCases, missingFixturesMessage } from './fixtures.js';

const saved = { ...process.env };
afterEach(() => {
  for (const name of ['CI', 'PIXELREPA_REQUIRE_FIXTURES', 'PIXELREPA_FIXTURES']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('where the reference fixtures are', () => {
  it('requires fixtures on CI and with PIXELREPA_REQUIRE_FIXTURES=1, not when they are unset, empty, 0 or false', () => {
    const cases: Array<[Record<string, string | undefined>, boolean]> = [
      [{ CI: undefined, PIXELREPA_REQUIRE_FIXTURES: undefined }, false],
      [{ CI: 'true' }, true],
      [{ CI: '1' }, true],
      [{ CI: 'false' }, false],
      [{ CI: '0' }, false],
      [{ CI: '' }, false],
      [{ CI: undefined, PIXELREPA_REQUIRE_FIXTURES: '1' }, true],
      [{ CI: undefined, PIXELREPA_REQUIRE_FIXTURES: '0' }, false],
    ];
    for (const [env, required] of cases) {
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      expect(fixturesRequired(), JSON.stringify(env)).toBe(required);
    }
  });

  it('finds cases under PIXELREPA_FIXTURES and names the missing ones with the command that writes them', () => {
    const root = mkdtempSync(join(tmpdir(), 'pixelrepa-fixtures-'));
    mkdirSync(join(root, 'jit-forward'));
    writeFileSync(join(root, 'jit-forward', 'case.json'), '{"kind": "jit_forward"}');
    process.env.PIXELREPA_FIXTURES = root;
    expect(fixturesRoot()).toBe(root);
    expect(missingFixtureCases(['jit-forward', 'mta-forward'])).toEqual(['mta-forward']);
    expect(fixtureDir('jit-forward')).toBe(join(root, 'jit-forward'));
    expect(() => fixtureDir('mta-forward')).toThrow(`reference fixture mta-forward not found in ${root}: write them with \`npm run make-fixtures`);
    expect(missingFixturesMessage(['a', 'b'])).toMatch(/^reference fixtures a, b not found/);
    process.env.PIXELREPA_FIXTURES = join(root, 'absent');
    expect(() => fixturesRoot()).toThrow(/reference fixtures not found in .*absent: write them with/);
    rmSync(root, { recursive: true, force: true });
  });
});
