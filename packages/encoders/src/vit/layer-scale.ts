import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module, init, type Parameter } from '@pixelrepa/nn';

/** timm's `LayerScale`: a learned per-channel factor on a residual branch (`gamma`). */
export class LayerScale extends Module {
  readonly gamma: Parameter;

  constructor(dim: number, initValue = 1e-5) {
    super();
    this.gamma = this.addParameter('gamma', init.constant([dim], initValue));
  }

  /** x: [..., D] → [..., D] */
  forward(x: Tensor): Tensor {
    return tf.mul(x, this.gamma.value);
  }
}
