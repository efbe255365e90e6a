import { describe, expect, it } from 'vitest';
import { tf } from './index.js';
import { describeEachBackend, liveTensors } from './testing/index.js';

describeEachBackend('initBackend', (backend) => {
  it('activates the backend and computes gradients', () => {
    expect(tf.getBackend()).toBe(backend);
    const before = liveTensors();
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)));
    const x = tf.tensor1d([1, 2, 3]);
    const g = grad(x);
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
    tf.dispose([x, g]);
    expect(liveTensors()).toBe(before);
  });
});

describe('tensor package', () => {
  it('has no side effects on import', async () => {
    expect(typeof tf.matMul).toBe('function');
  });
});
