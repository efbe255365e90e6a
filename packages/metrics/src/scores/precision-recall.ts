import { tf, type Tensor } from '@pixelrepa/tensor';

export interface PrecisionRecallOptions {
  /** k of the k-NN balls (default 3, Kynkäänniemi et al. and torch-fidelity). */
  neighborhood?: number;
  /** Rows per distance block (default 512): memory is batchSize × N floats. */
  batchSize?: number;
}

export interface PrecisionRecall {
  /** Share of generated samples inside the real manifold. */
  precision: number;
  /** Share of real samples inside the generated manifold. */
  recall: number;
  /** 2PR / max(1e-5, P + R), as torch-fidelity reports it. */
  fScore: number;
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019), torch-fidelity's `prc`: each set's
 * manifold is the union of balls reaching every sample's k-th nearest neighbour (itself
 * excluded); precision = share of generated samples inside the real manifold, recall = the
 * converse. Distances are float32 on the active TF.js backend (torch-fidelity uses float32
 * `cdist` too), in row blocks.
 *
 * real: [N1, D], generated: [N2, D] row-major
 */
export async function precisionRecall(
  real: Float32Array,
  generated: Float32Array,
  dim: number,
  { neighborhood = 3, batchSize = 512 }: PrecisionRecallOptions = {},
): Promise<PrecisionRecall> {
  const n1 = real.length / dim;
  const n2 = generated.length / dim;
  if (!Number.isInteger(n1) || !Number.isInteger(n2)) throw new Error(`precision/recall features must be [N, ${dim}]`);
  if (Math.min(n1, n2) < neighborhood + 1) {
    throw new Error(`precision/recall with k = ${neighborhood} needs more than ${neighborhood} samples in each set, got ${n1} real and ${n2} generated`);
  }
  const realRows = tf.tensor2d(real, [n1, dim]);
  const generatedRows = tf.tensor2d(generated, [n2, dim]);
  try {
    const realRadii = kthNeighbourSquaredDistances(realRows, neighborhood, batchSize);
    const generatedRadii = kthNeighbourSquaredDistances(generatedRows, neighborhood, batchSize);
    const precision = await shareInsideManifold(generatedRows, realRows, realRadii, batchSize);
    const recall = await shareInsideManifold(realRows, generatedRows, generatedRadii, batchSize);
    realRadii.dispose();
    generatedRadii.dispose();
    return { precision, recall, fScore: (2 * precision * recall) / Math.max(1e-5, precision + recall) };
  } finally {
    realRows.dispose();
    generatedRows.dispose();
  }
}

/** |x_i − y_j|², clamped at 0. x: [B, D], y: [N, D] → [B, N] */
function squaredDistances(x: Tensor, y: Tensor): Tensor {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true); // [B, 1]
    const yy = tf.reshape(tf.sum(tf.square(y), 1), [1, -1]); // [1, N]
    const xy = tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, false, true); // [B, N]
    return tf.relu(tf.sub(tf.add(xx, yy), tf.mul(xy, 2)));
  });
}

/** Squared distance of each row to its k-th nearest other row. rows: [N, D] → [N] */
function kthNeighbourSquaredDistances(rows: Tensor, k: number, batchSize: number): Tensor {
  const n = rows.shape[0];
  const parts: Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    parts.push(
      tf.tidy(() => {
        const block = tf.slice(rows, [start, 0], [Math.min(batchSize, n - start), -1]);
        // The k+1 smallest distances include the row itself (distance 0).
        const { values } = tf.topk(tf.neg(squaredDistances(block, rows)), k + 1);
        return tf.reshape(tf.neg(tf.slice(values, [0, k], [-1, 1])), [-1]);
      }),
    );
  }
  const radii = tf.concat(parts);
  tf.dispose(parts);
  return radii;
}

/** Share of `queries` rows within radius_j of some `anchors` row j. radii: [N] squared */
async function shareInsideManifold(queries: Tensor, anchors: Tensor, radii: Tensor, batchSize: number): Promise<number> {
  const n = queries.shape[0];
  let inside = 0;
  for (let start = 0; start < n; start += batchSize) {
    const hits = tf.tidy(() => {
      const block = tf.slice(queries, [start, 0], [Math.min(batchSize, n - start), -1]);
      return tf.sum(tf.cast(tf.any(tf.lessEqual(squaredDistances(block, anchors), tf.reshape(radii, [1, -1])), 1), 'int32'));
    });
    inside += (await hits.data())[0];
    hits.dispose();
  }
  return inside / n;
}
