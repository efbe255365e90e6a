// No file imports itself back through others: each package's modules form a DAG (madge over every
// package's src, type-only imports included).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('source files', () => {
  it('have no import cycles', async () => {
    const sources = readdirSync(`${root}packages`).map((name) => `${root}packages/${name}/src`);
    const result = await madge(sources, { fileExtensions: ['ts'], tsConfig: `${root}tsconfig.base.json`, excludeRegExp: [/\.test\.ts$/, /\/dist\//] });
    expect(result.circular()).toEqual([]);
  }, 120_000);
});
