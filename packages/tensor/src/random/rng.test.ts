import { describe, expect, it } from 'vitest';
import { tf, initBackend, createRng, rngFromState } from '../index.js';

/** The same draws as raw bytes, for bitwise comparison. */
async function drawAll(seed: number): Promise<Uint8Array[]> {
  const rng = createRng(seed);
  const tensors = [
    rng.normal([4, 8, 3], { mean: 0.5, std: 2 }),
    rng.uniform([100], { low: -1, high: 1 }),
    rng.truncatedNormal([50], { std: 0.02 }),
    rng.bernoulli([64], 0.2),
    rng.randint([32], { low: 0, high: 1000 }),
    rng.permutation(64),
  ];
  const bytes = await Promise.all(
    tensors.map(async (t) => {
      const data = await t.data();
      return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    }),
  );
  tf.dispose(tensors);
  return bytes;
}

describe('createRng', () => {
  it('gives bitwise identical tensors on cpu and wasm for the same seed', async () => {
    await initBackend('cpu');
    const onCpu = await drawAll(2024);
    await initBackend('wasm');
    const onWasm = await drawAll(2024);
    expect(onWasm).toEqual(onCpu);
  });

  it('returns tensors of the asked shape and dtype', () => {
    const rng = createRng(0);
    const checks: Array<[tf.Tensor, number[], string]> = [
      [rng.normal([2, 3]), [2, 3], 'float32'],
      [rng.uniform([5]), [5], 'float32'],
      [rng.bernoulli([2, 2], 0.5), [2, 2], 'float32'],
      [rng.bernoulli([2, 2], 0.5, { dtype: 'bool' }), [2, 2], 'bool'],
      [rng.bernoulli([2, 2], 0.5, { dtype: 'int32' }), [2, 2], 'int32'],
      [rng.randint([3, 1], { high: 4 }), [3, 1], 'int32'],
      [rng.permutation(6), [6], 'int32'],
    ];
    for (const [tensor, shape, dtype] of checks) {
      expect(tensor.shape).toEqual(shape);
      expect(tensor.dtype).toBe(dtype);
    }
    tf.dispose(checks.map(([t]) => t));
    expect(() => rng.normal([2, -1])).toThrow(/non-negative integers/);
  });

  it('resumes exactly from getState()', () => {
    const rng = createRng(9);
    tf.dispose(rng.normal([10]));
    const state = rng.getState();
    const next = rng.normal([6]);
    const resumed = rngFromState(JSON.parse(JSON.stringify(state)));
    const again = resumed.normal([6]);
    expect(Array.from(again.dataSync())).toEqual(Array.from(next.dataSync()));
    const other = createRng(1);
    other.setState(state);
    expect(other.getState()).toEqual(state);
    tf.dispose([next, again]);
  });

  it('splits into independent generators that the parent state reproduces', () => {
    const [a, b] = createRng(3).split(2);
    const [a2] = createRng(3).split(1);
    const [x, y, x2] = [a.uniform([4]), b.uniform([4]), a2.uniform([4])];
    expect(Array.from(x.dataSync())).not.toEqual(Array.from(y.dataSync()));
    expect(Array.from(x2.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y, x2]);
  });
});
