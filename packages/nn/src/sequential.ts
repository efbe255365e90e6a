import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module } from './module.js';

/** Anything with `forward(x)`: a layer in a `Sequential`. */
export interface Layer extends Module {
  forward(x: Tensor): Tensor;
}

/** Layers applied in order, named `0`, `1`, … as in PyTorch's `nn.Sequential`. */
export class Sequential extends Module {
  readonly layers: Layer[];
  constructor(...layers: Layer[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.addModule(String(i), layer));
  }

  forward(x: Tensor): Tensor {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.forward(h), x));
  }
}
