import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { backendTargets } from './per-backend.js';

describe('backendTargets', () => {
  it('measures wasm once per thread count and every other backend once', () => {
    expect(backendTargets(['cpu', 'wasm', 'webgpu'], [1, 2])).toEqual([
      { id: 'cpu', backend: 'cpu' },
      { id: 'wasm-1t', backend: 'wasm', threads: 1 },
      { id: 'wasm-2t', backend: 'wasm', threads: 2 },
      { id: 'webgpu', backend: 'webgpu' },
    ]);
    expect(backendTargets(['wasm-4t'], [1])).toEqual([{ id: 'wasm-4t', backend: 'wasm', threads: 4 }]);
  });

  it('refuses a name that is no backend', () => {
    expect(() => backendTargets(['cuda'], [1])).toThrow(UsageError);
    expect(() => backendTargets(['cuda'], [1])).toThrow('--backend cuda is not a backend; choose from cpu, wasm, webgl, webgpu, node, node-gpu (or wasm-<n>t)');
  });
});
