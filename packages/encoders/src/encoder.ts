import type { Tensor } from '@pixelrepa/tensor';

/** Called with named intermediate tensors (inside `tidy`: keep a clone to hold on to one). */
export type FeatureRecorder = (name: string, value: Tensor) => void;

/**
 * A frozen semantic encoder: the target side of representation alignment (REPA, PixelREPA).
 * It has no trainable parameters and is never differentiated; `encode` takes images as they cross
 * package boundaries (NHWC in [−1, 1]) and returns patch tokens with the prefix tokens dropped.
 */
export interface Encoder {
  /** For messages and logs: `DINOv2 ViT-B/14`. */
  readonly label: string;
  /** Token width Dz. */
  readonly embedDim: number;
  readonly patchSize: number;
  /** The input side `forwardFeatures` expects; `encode` resizes other sizes to it. */
  readonly imgSize: number;
  /** Tokens before the patch tokens (cls, registers). */
  readonly numPrefixTokens: number;
  /** The patch-token grid [rows, columns]: N = rows · columns. */
  readonly gridSize: readonly [number, number];

  /** The encoder's own input mapping. images: [B, H, W, 3] in [−1, 1] → [B, imgSize, imgSize, 3] */
  preprocess(images: Tensor): Tensor;
  /** The whole sequence, prefix tokens included. x: [B, imgSize, imgSize, 3] (preprocessed) → [B, P + N, Dz] */
  forwardFeatures(x: Tensor, record?: FeatureRecorder): Tensor;
  /** Patch tokens. images: [B, H, W, 3] in [−1, 1] → [B, N, Dz] */
  encode(images: Tensor): Tensor;
  /** Frees the weights. */
  dispose(): void;
}
