/** Collects feature rows batch by batch and hands them back as one [N, D] array. */
export class FeatureBuffer {
  private readonly parts: Float32Array[] = [];
  rows = 0;

  constructor(readonly dim: number) {}

  /** rows: [B, D] */
  push(rows: Float32Array): void {
    this.parts.push(rows.slice());
    this.rows += rows.length / this.dim;
  }

  /** → [N, D] */
  concat(): Float32Array {
    const out = new Float32Array(this.rows * this.dim);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}
