import * as b64 from './broadcast-binary-wasm.js';
import { instantiateOn } from '../wasm/heap.js';

// broadcast-binary.wat: which broadcasts it takes (`broadcastPlan`) and its modules on a memory.

export type BroadcastOp = 'add' | 'sub' | 'mul' | 'div';

/** How a broadcasting binary operation maps onto the kernel's three levels (see broadcast-binary.wat). */
export interface BroadcastPlan {
  /** The operand that has the output's shape. */
  full: 'a' | 'b';
  outShape: number[];
  P: number;
  Q: number;
  R: number;
  /** The other operand's element strides per level (0 where it is broadcast; sR is 0 or 1). */
  sP: number;
  sQ: number;
  sR: number;
}

/**
 * The plan for `a OP b` when exactly one operand has the output's shape and the other's axes,
 * once the output's size-1 axes are dropped and neighbours of the same kind (present or
 * broadcast) are merged, form at most three levels; null otherwise (same shapes, both broadcast,
 * or an interleaving the kernel does not walk).
 */
export function broadcastPlan(aShape: readonly number[], bShape: readonly number[]): BroadcastPlan | null {
  const rank = Math.max(aShape.length, bShape.length);
  const padded = (shape: readonly number[]) => [...Array<number>(rank - shape.length).fill(1), ...shape];
  const [a, b] = [padded(aShape), padded(bShape)];
  if (a.some((d, i) => d !== b[i] && d !== 1 && b[i] !== 1)) return null;
  const outShape = a.map((d, i) => Math.max(d, b[i]));
  const aFull = a.every((d, i) => d === outShape[i]);
  const bFull = b.every((d, i) => d === outShape[i]);
  if (aFull === bFull) return null;
  const small = aFull ? b : a;
  const levels: Array<{ present: boolean; size: number }> = [];
  outShape.forEach((size, i) => {
    if (size === 1) return;
    const present = small[i] === size;
    const last = levels[levels.length - 1];
    if (last && last.present === present) last.size *= size;
    else levels.push({ present, size });
  });
  if (levels.length > 3) return null;
  while (levels.length < 3) levels.unshift({ present: false, size: 1 });
  const strides = [0, 0, 0];
  let stride = 1;
  for (let i = 2; i >= 0; i--) {
    if (levels[i].present) {
      strides[i] = stride;
      stride *= levels[i].size;
    }
  }
  return { full: aFull ? 'a' : 'b', outShape, P: levels[0].size, Q: levels[1].size, R: levels[2].size, sP: strides[0], sQ: strides[1], sR: strides[2] };
}

export type BroadcastKernel = (
  full: number,
  small: number,
  out: number,
  P: number,
  Q: number,
  R: number,
  sP: number,
  sQ: number,
  sR: number,
  swap: number,
) => void;

/** The four operations' modules on `memory`; throws where the engine has no WASM SIMD. */
export function instantiateBroadcast(memory: WebAssembly.Memory): Record<BroadcastOp, BroadcastKernel> {
  const load = (shared: string, unshared: string) => instantiateOn<{ run: BroadcastKernel }>(memory, { shared, unshared }).run;
  return {
    add: load(b64.addBroadcastShared, b64.addBroadcastUnshared),
    sub: load(b64.subBroadcastShared, b64.subBroadcastUnshared),
    mul: load(b64.mulBroadcastShared, b64.mulBroadcastUnshared),
    div: load(b64.divBroadcastShared, b64.divBroadcastUnshared),
  };
}
