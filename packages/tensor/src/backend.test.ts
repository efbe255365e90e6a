import { describe, expect, it } from 'vitest';
import { tf, initBackend, backendNames } from './index.js';
import { describeEachBackend, liveTensors } from './testing/index.js';

// Taken while the test file is collected, before any hook has called initBackend.
const atImport = {
  backends: tf.engine().backendNames(),
  sumGradient: tf.getGradient('Sum') != null,
  navigator: 'navigator' in globalThis ? Object.keys(globalThis.navigator ?? {}) : undefined,
};

describe('importing @pixelrepa/tensor', () => {
  it('registers no backend, no gradient and no globals', () => {
    expect(atImport.backends).toEqual([]);
    expect(atImport.sumGradient).toBe(false);
    expect(atImport.navigator === undefined || !atImport.navigator.includes('gpu')).toBe(true);
  });
});

describeEachBackend('initBackend', (backend) => {
  it('activates the backend and computes gradients without leaking tensors', async () => {
    expect(tf.getBackend()).toBe(backend === 'node' || backend === 'node-gpu' ? 'tensorflow' : backend);
    const before = liveTensors();
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)));
    const x = tf.tensor1d([1, 2, 3]);
    const g = grad(x);
    expect(Array.from(await g.data())).toEqual([2, 4, 6]); // data(), not dataSync(): WebGPU in Node cannot read synchronously
    tf.dispose([x, g]);
    expect(liveTensors()).toBe(before);
  });
});

describe('initBackend', () => {
  it('reports what it set up', async () => {
    const info = await initBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', tfjsBackend: 'cpu', threads: 1 });
    expect(info.reason).toMatch(/requested/);
  });

  it('names the choices when given an unknown backend', async () => {
    await expect(initBackend('tpu' as never)).rejects.toThrow(`unknown backend "tpu": expected auto or one of ${backendNames.join(', ')}`);
  });
});
