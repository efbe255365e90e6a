import { describe, expect, it } from 'vitest';
import { runCli, commands } from './cli.js';
import { bufferContext } from './test-support/harness.js';

describe('pixelrepa', () => {
  it('--help lists every command', async () => {
    const { context, stdout } = bufferContext(process.cwd());
    expect(await runCli(['--help'], context)).toBe(0);
    for (const name of Object.keys(commands)) expect(stdout()).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
  });

  it.each(Object.keys(commands))('%s --help prints its usage, flags and examples', async (name) => {
    const { context, stdout } = bufferContext(process.cwd());
    expect(await runCli([name, '--help'], context)).toBe(0);
    expect(stdout()).toContain(`Usage: pixelrepa ${name}`);
    expect(stdout()).toContain('--config <file.json>');
    expect(stdout()).toContain('Examples:');
  });

  it('names an unknown command and a stray argument', async () => {
    const unknown = bufferContext(process.cwd());
    expect(await runCli(['trian'], unknown.context)).toBe(2);
    expect(unknown.stderr()).toContain('unknown command "trian"');
    const stray = bufferContext(process.cwd());
    expect(await runCli(['info', 'now'], stray.context)).toBe(2);
    expect(stray.stderr()).toContain('unexpected argument now: info takes only flags');
  });
});
