import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { caseFolders } from './fixtures-folder.js';
import { runChecks } from './run.js';

const repository = fileURLToPath(new URL('../../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pixelrepa-check-fixtures-'));

describe('check-fixtures on a folder without cases', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('says a missing or empty folder is missing or empty, and how to get fixtures', async () => {
    expect(() => caseFolders(join(scratch, 'absent'))).toThrow(/fixtures folder .*absent does not exist: get them with `npm run make-fixtures -- --help`/);
    expect(() => caseFolders(scratch)).toThrow(/holds no case \(a sub-folder with a case.json\)/);
    await expect(runChecks({ root: join(scratch, 'absent'), backend: 'wasm' })).rejects.toThrow(/does not exist/);
  });

  it("prints one line, not the wasm glue's source, and exits 2 (the command as run by npm)", () => {
    const run = spawnSync(
      process.execPath,
      [join(repository, 'node_modules/tsx/dist/cli.mjs'), 'tools/fixture-checker/src/main.ts', join(scratch, 'absent'), '--backend', 'wasm'],
      { cwd: repository, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toMatch(/^check-fixtures: fixtures folder .*absent does not exist: get them with/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
