import { tf } from '@pixelrepa/tensor';
import type { Module } from '@pixelrepa/nn';

/**
 * An exponential moving average of every parameter of a module (frozen ones included, as the
 * reference's `update_ema` walks `net.parameters()`): `e ← e·decay + p·(1 − decay)` in float32.
 */
export class Ema {
  readonly shadow: Map<string, tf.Variable>;

  constructor(readonly module: Module, readonly decay: number) {
    this.shadow = new Map(module.namedParameters().map(([name, p]) => [name, tf.variable(tf.clone(p.value), false)]));
  }

  update(): void {
    const keep = Math.fround(this.decay);
    const take = Math.fround(1 - this.decay);
    tf.tidy(() => {
      for (const [name, p] of this.module.namedParameters()) {
        const shadow = this.shadow.get(name)!;
        shadow.assign(tf.add(tf.mul(shadow, keep), tf.mul(p.value, take)));
      }
    });
  }

  /** The averaged weights in PyTorch layout and names (a state dict to save or load into a model). */
  stateDict(): Map<string, tf.Tensor> {
    const byName = new Map(this.module.namedParameters());
    return new Map([...this.shadow].filter(([name]) => byName.get(name)!.persistent).map(([name, value]) => [name, byName.get(name)!.layout.toTorch(value)]));
  }

  /** Replaces the averages from a PyTorch-layout state dict (e.g. a checkpoint's `model_ema1`). */
  loadStateDict(state: Map<string, tf.Tensor>): void {
    const byName = new Map(this.module.namedParameters());
    for (const [name, shadow] of this.shadow) {
      const value = state.get(name);
      if (!value) throw new Error(`EMA state is missing ${name}`);
      shadow.assign(tf.tidy(() => byName.get(name)!.layout.fromTorch(value)));
    }
  }

  dispose(): void {
    for (const variable of this.shadow.values()) variable.dispose();
  }
}
