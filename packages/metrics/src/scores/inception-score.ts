import { NumpyRandomState } from '../random/numpy-random-state.js';

export interface InceptionScoreOptions {
  /** Number of splits (default 10). */
  splits?: number;
  /** Shuffle rows before splitting with numpy's `RandomState(seed).permutation(N)` (default true). */
  shuffle?: boolean;
  /** Default 2020, torch-fidelity's `rng_seed`. */
  seed?: number;
}

export interface InceptionScore {
  mean: number;
  /** Population standard deviation over splits (np.std, ddof 0). */
  std: number;
  /** exp(mean KL(p ‖ p̄)) of each split. */
  splitScores: number[];
}

/**
 * The Inception Score from logits, torch-fidelity's `isc_features_to_metric`: rows shuffled by
 * a fixed permutation, split into `splits` contiguous chunks `[i·N/splits, (i+1)·N/splits)`,
 * per chunk `exp(mean_rows Σ_c p·(log p − log p̄))` with p̄ the chunk's mean distribution; all in
 * float64. Pass Inception's `'logits_unbiased'` (the fc without its bias), as the papers do.
 *
 * logits: [N, C] row-major
 */
export function inceptionScore(
  logits: Float32Array | Float64Array,
  classes: number,
  { splits = 10, shuffle = true, seed = 2020 }: InceptionScoreOptions = {},
): InceptionScore {
  if (logits.length % classes !== 0) throw new Error(`logits have ${logits.length} values, not a multiple of ${classes} classes: expected [N, ${classes}]`);
  const n = logits.length / classes;
  if (n < 2) throw new Error(`the Inception Score needs at least 2 images, got ${n}`);
  if (!Number.isInteger(splits) || splits < 1 || splits > n) {
    throw new Error(`cannot split ${n} images into ${splits} parts: the Inception Score needs at least one image per split (default 10 splits)`);
  }
  const order = shuffle ? new NumpyRandomState(seed).permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  // log-softmax of every row, in float64.
  const logP = new Float64Array(n * classes);
  for (let r = 0; r < n; r++) {
    const source = order[r] * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[source + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[source + c] - max);
    const logSum = Math.log(sum);
    for (let c = 0; c < classes; c++) logP[r * classes + c] = logits[source + c] - max - logSum;
  }
  const splitScores: number[] = [];
  for (let i = 0; i < splits; i++) {
    const start = Math.floor((i * n) / splits);
    const end = Math.floor(((i + 1) * n) / splits);
    const meanP = new Float64Array(classes);
    for (let r = start; r < end; r++) for (let c = 0; c < classes; c++) meanP[c] += Math.exp(logP[r * classes + c]);
    const logMeanP = meanP.map((value) => Math.log(value / (end - start)));
    let klSum = 0;
    for (let r = start; r < end; r++) {
      let kl = 0;
      for (let c = 0; c < classes; c++) {
        const lp = logP[r * classes + c];
        kl += Math.exp(lp) * (lp - logMeanP[c]);
      }
      klSum += kl;
    }
    splitScores.push(Math.exp(klSum / (end - start)));
  }
  const mean = splitScores.reduce((a, b) => a + b, 0) / splits;
  const std = Math.sqrt(splitScores.reduce((a, b) => a + (b - mean) ** 2, 0) / splits);
  return { mean, std, splitScores };
}
