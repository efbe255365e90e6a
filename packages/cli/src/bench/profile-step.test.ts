import { describe, expect, it } from 'vitest';
import { kindOf, stepByKind } from './profile-step.js';

describe('profile-step', () => {
  it('classifies kernels by kind of work: 2-D products are GEMM, batched ones attention', () => {
    expect(
      kindOf({
        name: 'BatchMatMul',
        inputShapes: [
          [2304, 192],
          [192, 512],
        ],
      }),
    ).toBe('GEMM');
    expect(
      kindOf({
        name: 'BatchMatMul',
        inputShapes: [
          [1, 64, 192],
          [1, 192, 512],
        ],
      }),
    ).toBe('GEMM');
    expect(
      kindOf({
        name: 'BatchMatMul',
        inputShapes: [
          [32, 3, 72, 64],
          [32, 3, 72, 64],
        ],
      }),
    ).toBe('attention');
    expect(kindOf({ name: 'Softmax', inputShapes: [[32, 3, 72, 72]] })).toBe('attention');
    expect(kindOf({ name: 'DenseChunksWasm', inputShapes: [[288, 768], [768, 2304], [2304]] })).toBe('GEMM');
    expect(kindOf({ name: 'Multiply', inputShapes: [[2], [2]] })).toBe('elementwise');
    expect(kindOf({ name: 'SwigluGradWasm', inputShapes: [[2], [2], [2], [2]] })).toBe('elementwise');
    expect(
      kindOf({
        name: 'RopeGradWasm',
        inputShapes: [
          [2, 3, 5, 8],
          [5, 8],
          [5, 8],
        ],
      }),
    ).toBe('elementwise');
    expect(kindOf({ name: 'Sum', inputShapes: [[2, 2]] })).toBe('reductions');
    expect(kindOf({ name: 'Transpose', inputShapes: [[2, 2]] })).toBe('copies');
    expect(kindOf({ name: 'OneHot', inputShapes: [[2]] })).toBe('other kernels');
  });

  it('splits a step into its kernels by kind, the rest of the gradient phase, and the update phases', () => {
    const ends = { gradients: 100, losses: 101, optimizer: 131, emas: 141 };
    const { ms, other } = stepByKind(0, ends, [
      {
        name: 'BatchMatMul',
        inputShapes: [
          [4, 8],
          [8, 8],
        ],
        startMs: 1,
        ms: 50,
      },
      {
        name: 'Multiply',
        inputShapes: [
          [4, 8],
          [4, 8],
        ],
        startMs: 60,
        ms: 20,
      },
      { name: 'OneHot', inputShapes: [[4]], startMs: 90, ms: 5 },
      { name: 'Multiply', inputShapes: [[8], [8]], startMs: 110, ms: 3 }, // inside the optimizer's phase: its time
    ]);
    expect(ms).toMatchObject({ GEMM: 50, elementwise: 20, 'other kernels': 5, 'engine and JS': 25, 'loss readback': 1, optimizer: 30, EMAs: 10 });
    expect(Object.values(ms).reduce((a, b) => a + b, 0)).toBe(141);
    expect(other).toEqual({ OneHot: 5 });
  });
});
