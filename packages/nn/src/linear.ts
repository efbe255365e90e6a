import { dense, denseChunks, tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { identityLayout, type Layout, type Parameter } from './parameter.js';
import { init, tfRandomSource, type RandomSource } from './init.js';

export interface LinearConfig {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
  random?: RandomSource;
  /** How the weight is stored in PyTorch when it is not a plain Linear (e.g. a conv applied to patches). */
  weightLayout?: Layout;
}

/** Our [in, out] storage ↔ PyTorch's [out, in] (then `outer` for convs stored as Linears). */
function transposedLayout(outer: Layout): Layout {
  return {
    fromTorch: (value) => tf.tidy(() => tf.transpose(outer.fromTorch(value))),
    toTorch: (value) => tf.tidy(() => outer.toTorch(tf.transpose(value))),
    torchShape: ([inFeatures, outFeatures]) => outer.torchShape([outFeatures, inFeatures]),
  };
}

/**
 * `y = x Wᵀ + b` (PyTorch's `nn.Linear`). The weight is kept as Wᵀ, [in, out], so the forward
 * and both gradient products are plain matmuls (the fast path on WASM); it is transposed back to
 * PyTorch's [out, in] in state dicts, once, at load and save.
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias?: Parameter;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor({ inFeatures, outFeatures, bias = true, random = tfRandomSource, weightLayout }: LinearConfig) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = this.addParameter(
      'weight',
      tf.tidy(() => tf.transpose(init.linearDefault(random, [outFeatures, inFeatures]))),
      { layout: transposedLayout(weightLayout ?? identityLayout) },
    );
    if (bias) this.bias = this.addParameter('bias', init.zeros([outFeatures]));
  }

  /** x: [..., in] → [..., out] */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const shape = x.shape;
      const flat = shape.length === 2 ? x : tf.reshape(x, [-1, this.inFeatures]);
      const y = dense(flat as tf.Tensor2D, this.weight.value as tf.Tensor2D, this.bias?.value as tf.Tensor1D | undefined);
      return shape.length === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), this.outFeatures]);
    });
  }
}

/**
 * The output of `linear` in `chunks` equal parts along the last axis (`linear(x).chunk(n, -1)`):
 * one product per chunk on the chunk's columns of the weight (`denseChunks`: on wasm nothing is
 * split or copied; elsewhere the product's output is split). Its gradient joins the chunks'
 * gradients once (activation-sized, like any layer's), so no chunk's gradient is padded back to
 * the whole. x: [..., in] → chunks × [..., out / chunks]
 */
export function linearChunks(linear: Linear, x: Tensor, chunks: number): Tensor[] {
  const { inFeatures, outFeatures } = linear;
  if (outFeatures % chunks !== 0) throw new Error(`cannot split ${outFeatures} outputs into ${chunks} equal chunks`);
  const width = outFeatures / chunks;
  return tf.tidy(() => {
    const flat = tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D;
    const shape = [...x.shape.slice(0, -1), width];
    const bias = linear.bias?.value as tf.Tensor1D | undefined;
    return denseChunks(flat, linear.weight.value as tf.Tensor2D, chunks, bias).map((block) => tf.reshape(block, shape));
  });
}

/**
 * Sets a Linear's weight from an [out, in] matrix (e.g. a fresh initialiser's draw); takes ownership.
 * For loading PyTorch tensors use `loadStateDict`, which also undoes conv layouts.
 */
export function assignWeightMatrix(linear: Linear, outIn: Tensor): void {
  linear.weight.assign(tf.transpose(outIn));
  outIn.dispose();
}
