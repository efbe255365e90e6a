import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(packageDir, 'bin', 'pixelrepa.js');

// `npm ci` links a workspace's bin before anything is built, and skips a bin whose file is missing:
// the launcher is a committed file that runs dist/main.js.
describe('bin/pixelrepa.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pixelrepa-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(launcher, join(dir, 'bin', 'pixelrepa.js'));

  it('says to build first when dist/main.js does not exist', () => {
    const run = spawnSync(process.execPath, [join(dir, 'bin', 'pixelrepa.js'), '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('run `npm run build`');
  });

  it('runs dist/main.js with the arguments once it is built', () => {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'main.js'), 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
    expect(execFileSync(process.execPath, [join(dir, 'bin', 'pixelrepa.js'), 'train', '--help'], { encoding: 'utf8' })).toBe('["train","--help"]');
  });

  it("is the package's bin", async () => {
    const manifest = (await import('../package.json', { with: { type: 'json' } })).default as { bin: Record<string, string>; files: string[] };
    expect(manifest.bin.pixelrepa).toBe('./bin/pixelrepa.js');
    expect(manifest.files).toContain('bin');
  });
});
