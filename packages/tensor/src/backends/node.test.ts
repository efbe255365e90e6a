import { describe, expect, it } from 'vitest';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf, initBackend, BackendUnavailableError } from '../index.js';
import { standInLoader } from '../testing/index.js';

/**
 * A stand-in for @tensorflow/tfjs-node: like the real one, importing it registers a "tensorflow"
 * backend with its kernels (here: the CPU backend's, under the new name).
 */
const registersTensorflow = () => {
  for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
  tf.registerBackend('tensorflow', () => new MathBackendCPU());
  return {};
};

describe('node and node-gpu backends', () => {
  it('say which package to install when @tensorflow/tfjs-node is missing', async () => {
    const attempt = initBackend('node');
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/needs the optional package @tensorflow\/tfjs-node.*npm install @tensorflow\/tfjs-node/);
  });

  it('name the CUDA and cuDNN versions when @tensorflow/tfjs-node-gpu is missing', async () => {
    await expect(initBackend('node-gpu')).rejects.toThrow(/npm install @tensorflow\/tfjs-node-gpu.*CUDA 11\.2 and cuDNN 8\.1/);
  });

  it('tell a package that fails to load from one that is missing', async () => {
    const loadModule = () => Promise.reject(new Error('libtensorflow.so.2: cannot open shared object file'));
    await expect(initBackend('node', { loadModule })).rejects.toThrow(/@tensorflow\/tfjs-node is installed but failed to load: libtensorflow\.so\.2/);
  });

  it('notice a package that registered its backend in another copy of tfjs-core', async () => {
    const loadModule = standInLoader({ '@tensorflow/tfjs-node': () => ({}) });
    await expect(initBackend('node', { loadModule })).rejects.toThrow(/registered no "tensorflow" backend.*npm ls @tensorflow\/tfjs-core/);
  });

  it('activate the "tensorflow" backend the package registers, with gradients', async () => {
    const loadModule = standInLoader({ '@tensorflow/tfjs-node': registersTensorflow });
    const info = await initBackend('node', { loadModule });
    expect(info).toMatchObject({ name: 'node', tfjsBackend: 'tensorflow', reason: 'requested' });
    expect(loadModule.imported).toEqual(['@tensorflow/tfjs-node']);
    expect(tf.getBackend()).toBe('tensorflow');
    const g = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2]))
        .dataSync(),
    );
    expect(Array.from(g)).toEqual([2, 4]);
  });
});
