import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadSharp, requireSharp } from './load-sharp.js';

describe('loadSharp', () => {
  it('loads the installed sharp once', () => {
    const sharp = loadSharp();
    expect(sharp).toBe(createRequire(import.meta.url)('sharp'));
    expect(loadSharp()).toBe(sharp);
    expect(typeof sharp.versions.vips).toBe('string');
  });

  it('names the package and the command to run when sharp is missing', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'sharp'\nRequire stack: ..."), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => requireSharp(missing)).toThrow(/optional peer dependency that is not installed: run `npm install sharp`/);
  });

  it('reports a sharp that is installed but broken as such', () => {
    const broken = () => {
      throw Object.assign(new Error("Cannot find module '@img/sharp-linux-x64/sharp.node'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => requireSharp(broken)).toThrow(/"sharp" is installed but failed to load \(Cannot find module '@img/);
    expect(() => requireSharp(() => ({ default: 42 }))).toThrow(/does not export the sharp\(\) function/);
  });
});
