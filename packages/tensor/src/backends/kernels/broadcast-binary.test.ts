import { describe, expect, it } from 'vitest';
import { broadcastPlan, instantiateBroadcast, type BroadcastOp } from './broadcast-binary-kernel.js';

// broadcast-binary.wat on a memory of its own against a float64 walk of the broadcast, each
// element rounded once to float32 (Math.fround), as one IEEE float32 operation rounds it: equal bits.

const apply: Record<BroadcastOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

/** Row-major index of `index` (in the output's shape) into an operand of `shape` (right-aligned, broadcast). */
function sourceIndex(outShape: number[], shape: readonly number[], flat: number): number {
  const padded = [...Array<number>(outShape.length - shape.length).fill(1), ...shape];
  let index = 0;
  for (let axis = 0, rest = flat, size = outShape.reduce((p, d) => p * d, 1); axis < outShape.length; axis++) {
    size /= outShape[axis];
    const coordinate = Math.floor(rest / size);
    rest -= coordinate * size;
    index = index * padded[axis] + (padded[axis] === 1 ? 0 : coordinate);
  }
  return index;
}

describe('broadcastPlan', () => {
  it('maps the broadcasts of a training step onto three levels', () => {
    expect(broadcastPlan([2304, 192], [192])).toMatchObject({ full: 'a', P: 1, Q: 2304, R: 192, sP: 0, sQ: 0, sR: 1 }); // a bias
    expect(broadcastPlan([32, 72, 192], [32, 1, 192])).toMatchObject({ full: 'a', P: 32, Q: 72, R: 192, sP: 192, sQ: 0, sR: 1 }); // adaLN
    expect(broadcastPlan([32, 72, 1], [32, 72, 192])).toMatchObject({ full: 'b', P: 1, Q: 2304, R: 192, sP: 0, sQ: 1, sR: 0 }); // per row
    expect(broadcastPlan([64], [32, 3, 72, 64])).toMatchObject({ full: 'b', outShape: [32, 3, 72, 64], Q: 6912, R: 64, sQ: 0, sR: 1 });
    expect(broadcastPlan([4, 1, 5, 1], [4, 3, 5, 2])).toBeNull(); // four levels
    expect(broadcastPlan([32, 1], [1, 128])).toBeNull(); // both broadcast
    expect(broadcastPlan([3, 4], [3, 4])).toBeNull();
    expect(broadcastPlan([3, 4], [2, 4])).toBeNull(); // not broadcastable
  });
});

describe('broadcast-binary.wat', () => {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  const kernels = instantiateBroadcast(memory);
  const cases: Array<[number[], number[]]> = [
    [[37, 12], [12]],
    [[5], [9, 5]],
    [
      [4, 7, 10],
      [4, 1, 10],
    ],
    [
      [6, 5, 1],
      [6, 5, 9],
    ],
    [
      [3, 1, 1],
      [3, 4, 6],
    ],
    [[2, 3, 5], [1]],
    [
      [1, 3, 1],
      [2, 3, 7],
    ],
  ];
  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    it(`${op}: every case equals the float32-rounded float64 result`, () => {
      let seed = 5;
      const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 4 - 2;
      for (const [aShape, bShape] of cases) {
        const plan = broadcastPlan(aShape, bShape)!;
        expect(plan, `${aShape} ${bShape}`).not.toBeNull();
        const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
        const a = Float32Array.from({ length: size(aShape) }, random);
        const b = Float32Array.from({ length: size(bShape) }, () => random() + 3); // no division by ~0
        const heap = new Float32Array(memory.buffer);
        const [aAt, bAt] = [16, 16 + 4 * a.length];
        const outAt = bAt + 4 * b.length;
        const n = size(plan.outShape);
        heap.set(a, aAt / 4);
        heap.set(b, bAt / 4);
        heap.fill(Number.NaN, outAt / 4, outAt / 4 + n);
        const [full, small] = plan.full === 'a' ? [aAt, bAt] : [bAt, aAt];
        kernels[op](full, small, outAt, plan.P, plan.Q, plan.R, plan.sP, plan.sQ, plan.sR, plan.full === 'a' ? 0 : 1);
        for (let i = 0; i < n; i++) {
          const want = Math.fround(apply[op](a[sourceIndex(plan.outShape, aShape, i)], b[sourceIndex(plan.outShape, bShape, i)]));
          if (heap[outAt / 4 + i] !== want) throw new Error(`${op} ${aShape} ${bShape}: out[${i}] = ${heap[outAt / 4 + i]}, want ${want}`);
        }
      }
    });
  }
});
