import { beforeAll, describe, expect, it } from 'vitest';
import { dense, tf, initBackend, setWasmBroadcastKernels } from '../index.js';
import { recordKernels } from '../profile.js';
import { sliceRowsPlan } from './wasm/copy-rows.js';
import { permuteRowsPlan } from './wasm/transpose.js';

/** Sum over the axes [first, first + k) in float32, one value after another in memory order. */
function sequentialSum(values: Float32Array, shape: number[], first: number, k: number): Float32Array {
  const outer = shape.slice(0, first).reduce((a, b) => a * b, 1);
  const reduce = shape.slice(first, first + k).reduce((a, b) => a * b, 1);
  const rest = shape.slice(first + k).reduce((a, b) => a * b, 1);
  const out = new Float32Array(outer * rest);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < rest; j++) {
      let sum = 0;
      for (let r = 0; r < reduce; r++) sum = Math.fround(sum + values[(o * reduce + r) * rest + j]);
      out[o * rest + j] = sum;
    }
  return out;
}

/** Sum over the axes [first, first + k) of a row-major array of `shape`, in float64. */
function blockSum(values: Float32Array, shape: number[], first: number, k: number): Float64Array {
  const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  const [reduce, rest] = [size(shape.slice(first, first + k)), size(shape.slice(first + k))];
  const out = new Float64Array(size(shape.slice(0, first)) * rest);
  for (let i = 0; i < values.length; i++) out[Math.floor(i / (reduce * rest)) * rest + (i % rest)] += values[i];
  return out;
}

describe('wasm kernel replacements', () => {
  beforeAll(async () => {
    await initBackend('wasm', { threads: 2 });
  });

  it("broadcasting Add, Sub, Multiply, RealDiv give the bits of tfjs's own kernels", async () => {
    const pairs: Array<[number[], number[]]> = [
      [[2304, 192], [192]],
      [
        [32, 72, 192],
        [32, 1, 192],
      ],
      [
        [32, 72, 1],
        [32, 72, 192],
      ],
      [[64], [32, 3, 72, 64]],
      [[6], [32, 3, 72, 6]],
    ];
    for (const [aShape, bShape] of pairs) {
      const a = tf.randomNormal(aShape, 0, 1, 'float32', 1);
      const b = tf.randomUniform(bShape, 0.5, 2, 'float32', 2);
      for (const op of [tf.add, tf.sub, tf.mul, tf.div]) {
        setWasmBroadcastKernels(false);
        const native = op(a, b);
        setWasmBroadcastKernels(true);
        const { result: ours, kernels } = await recordKernels(async () => op(a, b));
        expect(kernels).toHaveLength(1);
        expect(ours.shape).toEqual(native.shape);
        expect(Buffer.from((await ours.data()).buffer).equals(Buffer.from((await native.data()).buffer))).toBe(true);
        tf.dispose([native, ours]);
      }
      tf.dispose([a, b]);
    }
  });

  it('Sum over leading or middle axes (our route) matches a float64 sum, with and without keepDims', () => {
    const cases: Array<{ shape: number[]; axis: number | number[]; first: number; k: number }> = [
      { shape: [2304, 512], axis: 0, first: 0, k: 1 },
      { shape: [32, 72, 192], axis: [0, 1], first: 0, k: 2 },
      { shape: [7, 5, 3], axis: [1, 0], first: 0, k: 2 },
      { shape: [7, 5, 3], axis: [-3], first: 0, k: 1 },
      { shape: [32, 72, 192], axis: 1, first: 1, k: 1 }, // adaLN: [B, T, C] → [B, 1, C]
      { shape: [3, 4, 9, 16], axis: [2, 1], first: 1, k: 2 },
      { shape: [3, 9, 5], axis: 1, first: 1, k: 1 }, // rest 5: the native kernel
      { shape: [6, 20], axis: 0, first: 0, k: 1 }, // rest 16 + 4
      { shape: [2, 11, 36], axis: 1, first: 1, k: 1 },
    ];
    for (const { shape, axis, first, k } of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) * 3);
      const expected = blockSum(values, shape, first, k);
      const x = tf.tensor(values, shape);
      for (const keepDims of [false, true]) {
        const before = tf.memory().numTensors;
        const sum = tf.sum(x, axis, keepDims);
        const kept = shape.map((d, i) => (i >= first && i < first + k ? 1 : d));
        expect(sum.shape).toEqual(keepDims ? kept : kept.filter((_, i) => i < first || i >= first + k));
        const got = sum.dataSync();
        expect(got.length).toBe(expected.length);
        const scale = Math.sqrt(shape.slice(first, first + k).reduce((a, b) => a * b, 1));
        for (let i = 0; i < expected.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-5 * scale * 3);
        // ours (rows of a multiple of 4 values): the bits of a sequential float32 sum (0 + the first, then each next in order)
        const rest = shape.slice(first + k).reduce((a, b) => a * b, 1);
        if (rest % 4 === 0) expect(Array.from(got)).toEqual(Array.from(sequentialSum(values, shape, first, k)));
        sum.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
      x.dispose();
    }
  });

  it('Cast to the same dtype shares data; other casts convert', () => {
    const x = tf.tensor1d([1.5, -2.25, 3]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2.25, 3]);
    const ints = tf.cast(same, 'int32');
    expect(ints.dataId).not.toBe(same.dataId);
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 3]);
    const bytes = tf.memory().numBytes;
    same.dispose();
    expect(tf.memory().numBytes).toBe(bytes - 12);
    ints.dispose();
  });

  it('products (our GEMM where N % 4 = 0, a multiply where K = 1, else tfjs) match a float64 product, 2-D and batched, transposes included', () => {
    const cases: Array<[number[], number[], boolean, boolean]> = [
      [[2, 3, 72, 64], [2, 3, 64, 72], false, false], // attention q·kᵀ with kᵀ explicit
      [[2, 3, 72, 64], [2, 3, 72, 64], false, true], // q·kᵀ
      [[6, 72, 72], [6, 72, 64], true, false], // pᵀ·dO (backward)
      [[5, 12, 7], [5, 7, 16], false, false], // fits
      [[5, 6, 7], [5, 7, 9], false, false], // does not fit: tfjs's kernel
      [[3, 1, 8], [3, 16, 1], true, true], // K = 1: outer products by a broadcasting multiply
      [[36, 20], [36, 16], true, false], // 2-D: a weight gradient xᵀ·dy on our GEMM
      [[20, 36], [16, 36], false, true], // 2-D: an input gradient dy·Wᵀ on our GEMM
      [[36, 6], [36, 9], true, false], // 2-D, does not fit: transposed explicitly, then XNNPACK
    ];
    for (const [aShape, bShape, transposeA, transposeB] of cases) {
      const a = tf.randomNormal(aShape, 0, 1, 'float32', 11);
      const b = tf.randomNormal(bShape, 0, 1, 'float32', 12);
      const before = tf.memory().numTensors;
      const c = tf.matMul(a, b, transposeA, transposeB);
      const [av, bv, cv] = [a.dataSync(), b.dataSync(), c.dataSync()];
      const r = aShape.length;
      const [M, K] = transposeA ? [aShape[r - 1], aShape[r - 2]] : [aShape[r - 2], aShape[r - 1]];
      const N = transposeB ? bShape[r - 2] : bShape[r - 1];
      expect(c.shape).toEqual([...aShape.slice(0, -2), M, N]);
      const batch = c.size / (M * N);
      let worst = 0;
      for (let q = 0; q < batch; q++)
        for (let i = 0; i < M; i++)
          for (let j = 0; j < N; j++) {
            let sum = 0;
            for (let k = 0; k < K; k++) {
              const x = av[q * M * K + (transposeA ? k * M + i : i * K + k)];
              const y = bv[q * K * N + (transposeB ? j * K + k : k * N + j)];
              sum += x * y;
            }
            worst = Math.max(worst, Math.abs(cv[q * M * N + i * N + j] - sum));
          }
      expect(worst, `${aShape} × ${bShape}`).toBeLessThan(2e-5 * Math.sqrt(K) * 4);
      c.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    }
  });

  it('Sum over other axes and of int32 keeps the native kernel and its results', () => {
    const x = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    expect(Array.from(tf.sum(x, 1).dataSync())).toEqual([12, 15, 18, 21, 48, 51, 54, 57]);
    expect(Array.from(tf.sum(x, 2).dataSync())).toEqual([6, 22, 38, 54, 70, 86]);
    expect(Array.from(tf.sum(tf.cast(x, 'int32'), 0).dataSync())).toEqual([12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34]);
    expect(tf.sum(x).dataSync()[0]).toBe(276);
  });

  it('dense with an inner dimension of 1 (an outer product, as in a batch-1 weight gradient) gives exact products', () => {
    const a = tf.randomNormal([768, 1], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([1, 4608], 0, 1, 'float32', 2) as tf.Tensor2D;
    const [av, bv] = [a.dataSync() as Float32Array, b.dataSync() as Float32Array];
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor, w: tf.Tensor) => tf.sum(dense(x as tf.Tensor2D, w as tf.Tensor2D)))([a, b]);
    expect(value.dataSync()[0]).toBeCloseTo(av.reduce((s, v) => s + v, 0) * bv.reduce((s, v) => s + v, 0), 0);
    const product = tf.tidy(() => dense(a, b).dataSync());
    expect(product[5 * 4608 + 7]).toBe(Math.fround(av[5] * bv[7]));
    // d/dw of sum(x·w) with x [768, 1]: Σ_i x_i for every w — a product with inner dimension 768, then 1.
    expect(grads[1].shape).toEqual([1, 4608]);
    tf.dispose([a, b, value, ...grads]);
  });

  it('Transpose keeping the last axis copies rows (permute-rows.wat) and equals an element-by-element transpose; others keep the native kernel', async () => {
    const cases: Array<[number[], number[], 'float32' | 'int32', boolean]> = [
      [[1, 288, 12, 64], [0, 2, 1, 3], 'float32', true], // attention's heads
      [[2, 12, 72, 64], [0, 2, 1, 3], 'float32', true], // and back
      [[3, 5, 7, 2, 8], [2, 3, 0, 1, 4], 'int32', true], // rank 5, merged to two levels
      [[3, 5, 7, 2, 8], [2, 0, 3, 1, 4], 'float32', false], // four levels that do not merge
      [[6, 10, 12], [1, 0, 2], 'float32', true],
      [[2, 3, 4, 5, 8], [4, 3, 2, 1, 0], 'float32', false], // the last axis moves
      [[40, 30, 6], [1, 0, 2], 'float32', false], // rows of 6: not a multiple of 4
    ];
    for (const [shape, perm, dtype, ours] of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = dtype === 'int32' ? Int32Array.from({ length: size }, (_, i) => i * 7 - 3) : Float32Array.from({ length: size }, (_, i) => Math.sin(i));
      const x = tf.tensor(values, shape, dtype);
      const { result, kernels } = await recordKernels(async () => {
        const y = tf.transpose(x, perm);
        const data = await y.data();
        y.dispose();
        return data;
      });
      expect(kernels.map((k) => k.name)).toEqual(['Transpose']);
      expect(permuteRowsPlan(shape, perm) !== null, JSON.stringify(shape)).toBe(ours);
      // The element-by-element reference.
      const outShape = perm.map((axis) => shape[axis]);
      const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
      const expected = new (dtype === 'int32' ? Int32Array : Float32Array)(size);
      const index = new Array<number>(shape.length).fill(0);
      for (let o = 0; o < size; o++) {
        let at = 0;
        index.forEach((v, axis) => (at += v * inStrides[perm[axis]]));
        expected[o] = values[at];
        for (let axis = shape.length - 1; axis >= 0 && ++index[axis] === outShape[axis]; axis--) index[axis] = 0;
      }
      expect(result, `${JSON.stringify(shape)} ${JSON.stringify(perm)}`).toEqual(expected);
      x.dispose();
    }
  });

  it('Slice, SplitV and Concat copy rows (copy-rows.wat) and equal element-by-element references', async () => {
    const strides = (shape: number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const sliceRef = (values: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] => {
      const [st, out] = [strides(shape), [] as number[]];
      const index = new Array<number>(shape.length).fill(0);
      for (let o = 0; o < size.reduce((a, b) => a * b, 1); o++) {
        out.push(values[index.reduce((at, v, axis) => at + (v + begin[axis]) * st[axis], 0)]);
        for (let axis = shape.length - 1; axis >= 0 && ++index[axis] === size[axis]; axis--) index[axis] = 0;
      }
      return out;
    };
    const tensor = (shape: number[], dtype: 'float32' | 'int32', seed: number) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values =
        dtype === 'int32' ? Int32Array.from({ length: size }, (_, i) => i * 7 - seed) : Float32Array.from({ length: size }, (_, i) => Math.sin(i + seed));
      return { x: tf.tensor(values, shape, dtype), values };
    };
    const slices: Array<[number[], number[], number[], 'float32' | 'int32', boolean]> = [
      [[32, 72, 192], [0, 8, 0], [32, 64, 192], 'float32', true], // the image tokens after 8 in-context ones: one level
      [[4, 6, 8, 5], [1, 2, 3, 0], [2, 3, 4, 5], 'int32', true], // rows of 4·5 values, two levels
      [[3, 4, 5, 6, 7], [1, 1, 1, 1, 1], [2, 2, 2, 2, 2], 'float32', false], // four levels: tfjs's kernel
      [[10, 3], [2, 0], [5, 3], 'float32', true], // contiguous: one row
      [[7, 9], [0, 4], [7, 0], 'float32', true], // empty
    ];
    for (const [shape, begin, size, dtype, ours] of slices) {
      const { x, values } = tensor(shape, dtype, 3);
      expect(sliceRowsPlan(shape, begin, size) !== null, JSON.stringify(shape)).toBe(ours);
      const before = tf.memory().numTensors;
      const y = tf.slice(x, begin, size);
      expect(y.shape).toEqual(size);
      expect(Array.from(await y.data())).toEqual(sliceRef(values, shape, begin, size));
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
    // SplitV: adaLN's six chunks, in-context and image tokens
    for (const [shape, sizes, axis] of [
      [[32, 1152], [192, 192, 192, 192, 192, 192], 1],
      [[2, 72, 8], [8, 64], 1],
      [[5, 4, 3], [2, 3], 0],
    ] as Array<[number[], number[], number]>) {
      const { x, values } = tensor(shape, 'float32', 1);
      const parts = tf.split(x, sizes, axis);
      let at = 0;
      for (const [i, part] of parts.entries()) {
        const begin = shape.map((_, a) => (a === axis ? at : 0));
        const size = shape.map((d, a) => (a === axis ? sizes[i] : d));
        expect(Array.from(await part.data())).toEqual(sliceRef(values, shape, begin, size));
        at += sizes[i];
      }
      tf.dispose([x, ...parts]);
    }
    // Concat along every axis, float32 and int32
    for (const [shapes, axis, dtype] of [
      [
        [
          [5, 3],
          [5, 4],
        ],
        1,
        'float32',
      ],
      [
        [
          [2, 3, 4],
          [2, 1, 4],
          [2, 2, 4],
        ],
        1,
        'int32',
      ],
      [
        [
          [2, 3],
          [4, 3],
        ],
        0,
        'float32',
      ],
      [
        [
          [3, 2, 2],
          [3, 2, 5],
        ],
        2,
        'float32',
      ],
    ] as Array<[number[][], number, 'float32' | 'int32']>) {
      const inputs = shapes.map((shape, i) => tensor(shape, dtype, i));
      const y = tf.concat(
        inputs.map((t) => t.x),
        axis,
      );
      const outer = shapes[0].slice(0, axis).reduce((a, b) => a * b, 1);
      const expected: number[] = [];
      for (let o = 0; o < outer; o++)
        for (const { values } of inputs) {
          const inner = values.length / outer;
          expected.push(...Array.from(values.slice(o * inner, (o + 1) * inner)));
        }
      expect(Array.from(await y.data())).toEqual(expected);
      tf.dispose([y, ...inputs.map((t) => t.x)]);
    }
  });

  it('Identity shares data: a clone outlives its source, and both free their memory', () => {
    const bytes = tf.memory().numBytes;
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numBytes).toBe(bytes);
    // Variables keep their own value when the tensor they were made from goes away.
    const v = tf.variable(tf.tensor1d([4, 5]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor1d([6, 7]));
    expect(Array.from(snapshot.dataSync())).toEqual([4, 5]);
    expect(Array.from(v.dataSync())).toEqual([6, 7]);
    tf.dispose([snapshot, v]);
  });
});
