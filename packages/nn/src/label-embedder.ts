import type { Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { Embedding } from './embedding.js';
import type { RandomSource } from './init.js';

/** Class labels → vectors; row `numClasses` is the null class used for classifier-free guidance. */
export class LabelEmbedder extends Module {
  readonly embedding_table: Embedding;
  constructor(
    readonly numClasses: number,
    hiddenSize: number,
    random?: RandomSource,
  ) {
    super();
    this.embedding_table = this.addModule('embedding_table', new Embedding(numClasses + 1, hiddenSize, random));
  }

  /** labels: [B] int32 in [0, numClasses] → [B, D] */
  forward(labels: Tensor): Tensor {
    return this.embedding_table.forward(labels);
  }
}
