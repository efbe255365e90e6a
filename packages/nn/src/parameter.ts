import { tf, type Tensor } from '@pixelrepa/tensor';

/**
 * How a parameter is stored here versus in a PyTorch state dict. Conversion happens once, at
 * load and save, never in the forward pass.
 */
export interface Layout {
  /** PyTorch tensor → our tensor. */
  fromTorch(value: Tensor): Tensor;
  /** Our tensor → PyTorch tensor. */
  toTorch(value: Tensor): Tensor;
  /** The PyTorch shape for our shape (for error messages and shape checks). */
  torchShape(shape: number[]): number[];
}

export const identityLayout: Layout = {
  fromTorch: (value) => tf.clone(value),
  toTorch: (value) => tf.clone(value),
  torchShape: (shape) => shape,
};

export interface ParameterOptions {
  /** Learned by the optimiser (PyTorch `requires_grad`). Default true. */
  trainable?: boolean;
  /** Included in `stateDict()` (PyTorch parameters and persistent buffers). Default true. */
  persistent?: boolean;
  layout?: Layout;
}

/** A named tensor slot of a module: a TF.js variable plus how it maps onto PyTorch. */
export class Parameter {
  /** Learned by the optimiser; `Module.freeze()` turns it off. */
  trainable: boolean;
  readonly persistent: boolean;
  readonly layout: Layout;
  variable: tf.Variable;

  constructor(initial: Tensor, options: ParameterOptions = {}) {
    this.trainable = options.trainable ?? true;
    this.persistent = options.persistent ?? true;
    this.layout = options.layout ?? identityLayout;
    this.variable = tf.variable(initial, this.trainable);
    initial.dispose();
  }

  get value(): Tensor {
    return this.variable;
  }

  get shape(): number[] {
    return this.variable.shape;
  }

  /** Replaces the value (same shape), taking ownership of `value`. */
  assign(value: Tensor): void {
    this.variable.assign(value);
    value.dispose();
  }

  dispose(): void {
    this.variable.dispose();
  }
}
