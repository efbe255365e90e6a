const EPSILON = 2 ** -52;

/**
 * Eigenvalues of a real symmetric matrix, ascending: Householder reduction to tridiagonal form,
 * then bisection with Sturm counts. Values only (no eigenvectors), which is all a trace of a
 * matrix square root needs and what makes it affordable at 2048×2048.
 *
 * a: [n, n] row-major symmetric; only the lower triangle is read; a is overwritten.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  // Work on A / max|A| so that squares neither overflow nor underflow; scale back at the end.
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) scale = Math.max(scale, Math.abs(a[i * n + j]));
  if (scale === 0 || n === 0) return new Float64Array(n);
  if (!Number.isFinite(scale)) throw new Error('symmetricEigenvalues: the matrix has non-finite entries');
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] /= scale;
  const { diagonal, offDiagonal } = tridiagonalize(a, n);
  const values = tridiagonalEigenvalues(diagonal, offDiagonal);
  for (let i = 0; i < n; i++) values[i] *= scale;
  return values;
}

/**
 * Householder reduction `Qᵀ A Q = T`. Row k (from the last) is folded onto its sub-diagonal by a
 * reflector `H = I − v vᵀ / h`, applied to the leading k×k block as `A − v qᵀ − q vᵀ`.
 * → diagonal [n], offDiagonal [n] (offDiagonal[k] couples k−1 and k; offDiagonal[0] = 0)
 */
export function tridiagonalize(a: Float64Array, n: number): { diagonal: Float64Array; offDiagonal: Float64Array } {
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  const v = new Float64Array(n);
  const q = new Float64Array(n);
  for (let k = n - 1; k >= 2; k--) {
    const row = k * n;
    let normSquared = 0;
    for (let m = 0; m < k; m++) normSquared += a[row + m] * a[row + m];
    const last = a[row + k - 1];
    if (normSquared - last * last <= 0) {
      offDiagonal[k] = last; // nothing left of the sub-diagonal
      continue;
    }
    const alpha = last >= 0 ? -Math.sqrt(normSquared) : Math.sqrt(normSquared);
    for (let m = 0; m < k; m++) v[m] = a[row + m];
    v[k - 1] = last - alpha;
    const h = normSquared - last * alpha; // vᵀv / 2
    offDiagonal[k] = alpha;
    // q = A v / h, reading the lower triangle row by row.
    q.fill(0, 0, k);
    for (let j = 0; j < k; j++) {
      const rowJ = j * n;
      const vj = v[j];
      let sum = a[rowJ + j] * vj;
      for (let m = 0; m < j; m++) {
        const ajm = a[rowJ + m];
        sum += ajm * v[m];
        q[m] += ajm * vj;
      }
      q[j] += sum;
    }
    let vq = 0;
    for (let j = 0; j < k; j++) {
      q[j] /= h;
      vq += v[j] * q[j];
    }
    const half = vq / (2 * h);
    for (let j = 0; j < k; j++) q[j] -= half * v[j];
    for (let j = 0; j < k; j++) {
      const rowJ = j * n;
      const vj = v[j];
      const qj = q[j];
      for (let m = 0; m <= j; m++) a[rowJ + m] -= vj * q[m] + qj * v[m];
    }
  }
  if (n >= 2) offDiagonal[1] = a[n];
  for (let j = 0; j < n; j++) diagonal[j] = a[j * n + j];
  return { diagonal, offDiagonal };
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix (diagonal d, off-diagonal e with e[0] unused),
 * ascending, each by bisection on the Sturm count to an absolute accuracy of ~ε·‖T‖.
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  let low = Infinity;
  let high = -Infinity;
  let largestCoupling = 0;
  for (let i = 0; i < n; i++) {
    const radius = (i > 0 ? Math.abs(e[i]) : 0) + (i + 1 < n ? Math.abs(e[i + 1]) : 0);
    low = Math.min(low, d[i] - radius);
    high = Math.max(high, d[i] + radius);
    if (i > 0) largestCoupling = Math.max(largestCoupling, e[i] * e[i]);
  }
  const norm = Math.max(Math.abs(low), Math.abs(high));
  const pivotMinimum = Number.MIN_VALUE * 2 ** 60 * Math.max(1, largestCoupling);
  const absoluteTolerance = 2 * EPSILON * norm;
  low -= absoluteTolerance;
  high += absoluteTolerance;
  const countBelow = (x: number): number => {
    let count = 0;
    let pivot = d[0] - x;
    if (Math.abs(pivot) < pivotMinimum) pivot = -pivotMinimum;
    if (pivot < 0) count++;
    for (let i = 1; i < n; i++) {
      pivot = d[i] - x - (e[i] * e[i]) / pivot;
      if (Math.abs(pivot) < pivotMinimum) pivot = -pivotMinimum;
      if (pivot < 0) count++;
    }
    return count;
  };
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // The k-th smallest is above everything found so far.
    let lo = k > 0 ? Math.max(low, values[k - 1] - absoluteTolerance) : low;
    let hi = high;
    while (hi - lo > absoluteTolerance + EPSILON * Math.max(Math.abs(lo), Math.abs(hi))) {
      const mid = 0.5 * (lo + hi);
      if (countBelow(mid) > k) hi = mid;
      else lo = mid;
    }
    values[k] = 0.5 * (lo + hi);
  }
  return values;
}
