import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';
import { init, tfRandomSource, type RandomSource } from './init.js';
import type { Layout, Parameter } from './parameter.js';

/** PyTorch conv weights are [O, I, kH, kW]; TF.js filters are [kH, kW, I, O]. Converted once, at load. */
export const oihwLayout: Layout = {
  fromTorch: (value) => tf.transpose(value, [2, 3, 1, 0]),
  toTorch: (value) => tf.transpose(value, [3, 2, 0, 1]),
  torchShape: ([kh, kw, inChannels, outChannels]) => [outChannels, inChannels, kh, kw],
};

export interface Conv2dConfig {
  inChannels: number;
  outChannels: number;
  /** [kH, kW] or one number for a square kernel. */
  kernelSize: number | [number, number];
  stride?: number;
  /** PyTorch's symmetric zero padding [pH, pW] (or one number). Default 0. */
  padding?: number | [number, number];
  random?: RandomSource;
}

/**
 * A 2-D convolution without bias (the Inception network has none: BatchNorm follows) whose
 * `weight` loads from PyTorch's `[O, I, kH, kW]`. Stored as a TF.js `[kH, kW, I, O]` filter.
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly kernel: [number, number];
  readonly stride: number;
  readonly padding: [number, number];

  constructor({ inChannels, outChannels, kernelSize, stride = 1, padding = 0, random = tfRandomSource }: Conv2dConfig) {
    super();
    this.kernel = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    this.padding = typeof padding === 'number' ? [padding, padding] : padding;
    this.stride = stride;
    // He-normal (fan_in), so that a randomly built network keeps activations of order one.
    const fanIn = inChannels * this.kernel[0] * this.kernel[1];
    this.weight = this.addParameter('weight', init.normal(random, [...this.kernel, inChannels, outChannels], Math.sqrt(2 / fanIn)), { layout: oihwLayout });
  }

  /** The TF.js padding argument equal to PyTorch's explicit symmetric padding. */
  get tfPadding(): 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]] {
    const [ph, pw] = this.padding;
    if (ph === 0 && pw === 0) return 'valid';
    const [kh, kw] = this.kernel;
    if (this.stride === 1 && 2 * ph === kh - 1 && 2 * pw === kw - 1) return 'same';
    return [
      [0, 0],
      [ph, ph],
      [pw, pw],
      [0, 0],
    ];
  }

  /** x: [B, H, W, I] → [B, H', W', O] */
  forward(x: Tensor): Tensor {
    return tf.conv2d(x as tf.Tensor4D, this.weight.value as tf.Tensor4D, this.stride, this.tfPadding);
  }
}
