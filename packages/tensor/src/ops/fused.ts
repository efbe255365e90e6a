// Development switches for our fused kernels (benchmarks, A/B runs): off, an op runs its composite
// tfjs ops on every backend, as it does wherever its kernel is missing.

/** The ops with a fused wasm kernel of their own. */
export type FusedOp = 'rmsNorm' | 'swiglu' | 'denseChunks' | 'rope';

const enabled: Record<FusedOp, boolean> = { rmsNorm: true, swiglu: true, denseChunks: true, rope: true };

/** Switches the fused kernels of `ops` (default all) on or off. */
export function setFusedKernels(on: boolean, ops: readonly FusedOp[] = ['rmsNorm', 'swiglu', 'denseChunks', 'rope']): void {
  for (const op of ops) enabled[op] = on;
}

/** Whether `op` may use its fused kernel. */
export function fusedKernelsOn(op: FusedOp): boolean {
  return enabled[op];
}
