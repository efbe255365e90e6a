import { describe, expect, it } from 'vitest';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf, initBackend } from '../index.js';
import { standInLoader } from '../testing/index.js';

/** A stand-in for @tensorflow/tfjs-node-gpu on a machine without a CUDA device. */
const registersTensorflowGpuBuild = () => {
  for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
  tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isGPUPackage: true, isUsingGpuDevice: false }));
  return {};
};

// Each case uses its own candidates so that earlier cases' backends do not decide later ones.
describe("initBackend('auto')", () => {
  it('falls back to wasm when neither libtensorflow nor a WebGPU package is installed', async () => {
    const loadModule = standInLoader({});
    const info = await initBackend('auto', { loadModule, candidates: ['node-gpu', 'node', 'webgpu', 'wasm', 'cpu'] });
    expect(info.name).toBe('wasm');
    expect(info.reason).toMatch(/^best available/);
    expect(info.tried?.map((attempt) => [attempt.name, attempt.ok])).toEqual([
      ['node-gpu', false],
      ['node', false],
      ['webgpu', false],
      ['wasm', true],
    ]);
    expect(info.tried?.[0].reason).toMatch(/npm install @tensorflow\/tfjs-node-gpu/);
    expect(info.tried?.[1].reason).toMatch(/npm install @tensorflow\/tfjs-node\b/);
    expect(info.tried?.[2].reason).toMatch(/npm install webgpu/);
    expect(loadModule.imported).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', 'webgpu']);
  });

  it('passes over a software WebGPU adapter unless allowed', async () => {
    const softwareDawn = {
      create: () => ({
        requestAdapter: async () => ({ info: { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: 'OpenGL ES 3.2 Mesa 22.3.6' } }),
      }),
      globals: {},
    };
    const loadModule = standInLoader({ webgpu: () => softwareDawn });
    const info = await initBackend('auto', { loadModule, candidates: ['webgpu', 'cpu'] });
    expect(info.name).toBe('cpu');
    expect(info.tried?.[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(info.tried?.[0].reason).toMatch(/software adapter.*llvmpipe.*allowSoftwareGpu/);
    expect('gpu' in (globalThis.navigator ?? {})).toBe(false);
  });

  it('prefers node-gpu, and reports when no CUDA device is visible', async () => {
    const loadModule = standInLoader({ '@tensorflow/tfjs-node-gpu': registersTensorflowGpuBuild });
    const info = await initBackend('auto', { loadModule, candidates: ['node-gpu', 'node', 'wasm'] });
    expect(info).toMatchObject({ name: 'node-gpu', tfjsBackend: 'tensorflow', gpu: false });
    expect(info.reason).toMatch(/no CUDA device is visible/);
    expect(info.tried).toHaveLength(1);
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('gives every reason when nothing starts', async () => {
    const loadModule = standInLoader({});
    await expect(initBackend('auto', { loadModule, candidates: ['node', 'webgpu'] })).rejects.toThrow(
      /no backend could be started \(node: .*npm install @tensorflow\/tfjs-node.*; webgpu: .*npm install webgpu/,
    );
  });

  it('with the packages installed here, picks one backend and says why each before it was rejected', async () => {
    const info = await initBackend('auto', { candidates: ['node-gpu', 'node', 'webgpu', 'wasm'] });
    const tried = info.tried ?? [];
    expect(tried.at(-1)).toMatchObject({ name: info.name, ok: true });
    for (const attempt of tried.slice(0, -1)) {
      expect(attempt.ok).toBe(false);
      expect(attempt.reason.length).toBeGreaterThan(10);
    }
    expect(tf.getBackend()).toBe(info.tfjsBackend);
  });
});
