import { tf, type Tensor } from '@pixelrepa/tensor';
import type { Module } from '@pixelrepa/nn';

/**
 * An exponential moving average of every parameter of a module (frozen ones included, as the
 * reference's `update_ema` walks `net.parameters()`): `e ← e·decay + p·(1 − decay)` in float32.
 * The averages live in one flat buffer, so an update is four kernels whatever the model size.
 */
export class Ema {
  /** [P] the averages of all parameters, in `namedParameters()` order. */
  readonly flat: tf.Variable;
  private readonly slots: Array<{ name: string; offset: number; size: number; shape: number[] }>;

  constructor(readonly module: Module, readonly decay: number) {
    let offset = 0;
    this.slots = module.namedParameters().map(([name, p]) => {
      const slot = { name, offset, size: p.value.size, shape: [...p.shape] };
      offset += slot.size;
      return slot;
    });
    this.flat = tf.tidy(() => tf.variable(this.parameters(), false));
  }

  /** The module's current parameters as one [P] vector. */
  private parameters(): Tensor {
    return tf.tidy(() => tf.concat(this.module.namedParameters().map(([, p]) => tf.reshape(p.value, [-1]))));
  }

  update(): void {
    const keep = Math.fround(this.decay);
    const take = Math.fround(1 - this.decay);
    tf.tidy(() => {
      this.flat.assign(tf.add(tf.mul(this.flat, keep), tf.mul(this.parameters(), take)));
    });
  }

  /** One parameter's average in our layout (a new tensor). */
  get(name: string): Tensor {
    const slot = this.slots.find((s) => s.name === name);
    if (!slot) throw new Error(`the EMA has no parameter named ${name}`);
    return tf.tidy(() => tf.reshape(tf.slice(this.flat, [slot.offset], [slot.size]), slot.shape));
  }

  /** The averaged weights in PyTorch layout and names (a state dict to save or load into a model). */
  stateDict(): Map<string, Tensor> {
    const byName = new Map(this.module.namedParameters());
    return new Map(this.slots.filter(({ name }) => byName.get(name)!.persistent).map(({ name }) => {
      const value = this.get(name);
      const torch = byName.get(name)!.layout.toTorch(value);
      value.dispose();
      return [name, torch];
    }));
  }

  /** Replaces the averages from a PyTorch-layout state dict (e.g. a checkpoint's `model_ema1`). */
  loadStateDict(state: Map<string, Tensor>): void {
    const byName = new Map(this.module.namedParameters());
    tf.tidy(() => {
      const parts = this.slots.map(({ name }) => {
        const value = state.get(name);
        if (!value) throw new Error(`EMA state is missing ${name}`);
        return tf.reshape(byName.get(name)!.layout.fromTorch(value), [-1]);
      });
      this.flat.assign(tf.concat(parts));
    });
  }

  dispose(): void {
    this.flat.dispose();
  }
}
