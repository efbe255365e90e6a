import { describe, expect, it } from 'vitest';
import { tf, initBackend, type BackendInfo } from '../index.js';
import { standInLoader } from '../testing/index.js';

/** Whether the `webgpu` package (Dawn) is installed here: the real-device tests need it. */
const dawnPackage = 'webgpu'; // a variable, so type-checking does not require the optional package
const hasDawn = await import(/* @vite-ignore */ dawnPackage).then(
  () => true,
  () => false,
);

describe('webgpu backend in Node', () => {
  it('says which package to install when "webgpu" is missing', async () => {
    await expect(initBackend('webgpu', { loadModule: standInLoader({}) })).rejects.toThrow(/needs the optional package "webgpu" \(Dawn\): npm install webgpu/);
  });

  it('says what Dawn tried when no adapter comes up', async () => {
    const noAdapter = { create: () => ({ requestAdapter: async () => null }), globals: {} };
    await expect(initBackend('webgpu', { loadModule: standInLoader({ webgpu: () => noAdapter }), dawnBackend: 'vulkan' })).rejects.toThrow(
      /Dawn found no WebGPU adapter \(tried vulkan \(core\): no adapter\).*apt-get install/,
    );
  });

  describe.skipIf(!hasDawn)('through Dawn', () => {
    let info: BackendInfo | undefined;
    let failure: unknown;

    it('starts on an adapter, or explains why not', async () => {
      try {
        info = await initBackend('webgpu');
      } catch (error) {
        failure = error;
      }
      // A machine without any GPU driver or Mesa cannot run it; the error must say what to install.
      if (failure) expect(String(failure)).toMatch(/apt-get install|Vulkan driver/);
      else expect(info).toMatchObject({ name: 'webgpu', tfjsBackend: 'webgpu' });
    });

    it('multiplies matrices and computes gradients (read back with await data())', async (context) => {
      if (!info) context.skip();
      const a = tf.tensor2d([
        [1, 2],
        [3, 4],
      ]);
      const b = tf.tensor2d([
        [5, 6],
        [7, 8],
      ]);
      const product = tf.matMul(a, b);
      expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2, 3]));
      expect(Array.from(await g.data())).toEqual([2, 4, 6]);
      tf.dispose([a, b, product, g]);
    });

    it('is judged on the adapter it runs on when auto looks again', async (context) => {
      if (!info) context.skip();
      const again = await initBackend('auto', { candidates: ['webgpu', 'cpu'] });
      expect(again.name).toBe(info!.softwareAdapter ? 'cpu' : 'webgpu');
    });
  });
});
