import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './source-imports.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Lines of `source` that branch on the active backend's name. */
export function backendNameChecks(source: string): string[] {
  return source.split('\n').filter((line) => /getBackend\(\)\s*[!=]==?|[!=]==?\s*tf\.getBackend\(\)|\.includes\(\s*tf\.getBackend\(\)/.test(line));
}

describe('backends are data', () => {
  it('recognises a branch on a backend name', () => {
    expect(backendNameChecks("if (tf.getBackend() === 'wasm') x();\nconst b = tf.getBackend();")).toHaveLength(1);
    expect(backendNameChecks("if (!['cpu', 'wasm'].includes(tf.getBackend())) return;")).toHaveLength(1);
  });

  it('no library code outside @pixelrepa/tensor branches on the backend name (read backendCapabilities())', () => {
    const found: string[] = [];
    for (const name of readdirSync(join(root, 'packages')).filter((folder) => folder !== 'tensor')) {
      for (const file of sourceFiles(join(root, 'packages', name, 'src'))) {
        for (const line of backendNameChecks(readFileSync(file, 'utf8'))) found.push(`${relative(root, file)}: ${line.trim()}`);
      }
    }
    expect(found).toEqual([]);
  });
});
