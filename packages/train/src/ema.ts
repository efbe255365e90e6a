import { emaInPlace, HOST_STATE_ARENA_MAX_BYTES, HostStateArena, hostStateArenaBytes, tf, type Tensor } from '@pixelrepa/tensor';
import type { Module } from '@pixelrepa/nn';
import type { StatePlacement } from './adamw.js';

const f32 = Math.fround;

/**
 * An exponential moving average of every parameter of a module (frozen ones included, as the
 * reference's `update_ema` walks `net.parameters()`): `e ← e·decay + p·(1 − decay)` in float32.
 * On the device the averages live in one flat variable, so an update is a few kernels whatever the
 * model size; on the host (`placement: 'host'`) in one Float32Array off the backend's memory: a
 * view of a host state arena (a WebAssembly memory of its own, updated by the same WASM SIMD kernel
 * as the device averages on wasm) or, without WASM SIMD or with `hostArena: false`, a plain array
 * updated by a JS loop; the same float32 arithmetic everywhere.
 */
export class Ema {
  readonly placement: StatePlacement;
  private readonly device?: tf.Variable;
  private readonly host?: Float32Array;
  private readonly arena?: HostStateArena;
  private readonly slots: Array<{ name: string; offset: number; size: number; shape: number[] }>;

  constructor(
    readonly module: Module,
    readonly decay: number,
    { placement = 'device', hostArena = true }: { placement?: StatePlacement; hostArena?: boolean } = {},
  ) {
    this.placement = placement;
    let offset = 0;
    this.slots = module.namedParameters().map(([name, p]) => {
      const slot = { name, offset, size: p.value.size, shape: [...p.shape] };
      offset += slot.size;
      return slot;
    });
    if (placement === 'host') {
      const largest = Math.max(0, ...this.slots.map((slot) => slot.size));
      // One arena (4 GiB at most); plain arrays past that or without WASM SIMD.
      const fits = hostStateArenaBytes([offset], largest) <= HOST_STATE_ARENA_MAX_BYTES;
      this.arena = hostArena && fits ? (HostStateArena.create([offset], largest) ?? undefined) : undefined;
      this.host = this.arena ? this.arena.views[0] : new Float32Array(offset);
      module.namedParameters().forEach(([, p], i) => this.host!.set(p.value.dataSync() as Float32Array, this.slots[i].offset));
    } else {
      this.device = tf.tidy(() => tf.variable(this.parameters(), false));
    }
  }

  /** The module's current parameters as one [P] vector. */
  private parameters(): Tensor {
    return tf.tidy(() => tf.concat(this.module.namedParameters().map(([, p]) => tf.reshape(p.value, [-1]))));
  }

  /** Whether host averages live in a host state arena (WASM SIMD passes) rather than a plain array. */
  get inArena(): boolean {
    return this.arena !== undefined;
  }

  update(): void {
    Ema.updateAll([this]);
  }

  /**
   * One update of every EMA given. Host EMAs of the same module share one read of each parameter
   * (the trainer's two EMAs of the JiT: one download of the weights per step, not two).
   */
  static updateAll(emas: Ema[]): void {
    const hosts = new Map<Module, Ema[]>();
    const devices = new Map<Module, Ema[]>();
    for (const ema of emas) {
      const byModule = ema.host ? hosts : devices;
      byModule.set(ema.module, [...(byModule.get(ema.module) ?? []), ema]);
    }
    for (const [module, group] of devices) {
      // On wasm: two EMAs of a module in one in-place pass over its parameters (same bits).
      const values = module.namedParameters().map(([, p]) => p.value);
      for (let i = 0; i < group.length; i += 2) {
        const pair = group.slice(i, i + 2);
        const fused = emaInPlace(
          values,
          pair.map((ema) => ({ flat: ema.device!, keep: f32(ema.decay), take: f32(1 - ema.decay) })),
        );
        if (!fused) for (const ema of pair) ema.updateDevice();
      }
    }
    for (const [module, group] of hosts) {
      // Arena EMAs: one WASM SIMD pass each per parameter. The rest: the JS loop, one read of each
      // parameter for all of them.
      const inArenas = group.filter((ema) => ema.arena);
      const plain = group.filter((ema) => !ema.arena);
      module.namedParameters().forEach(([, p], i) => {
        for (const ema of inArenas) {
          const { offset, size } = ema.slots[i];
          ema.arena!.ema(p.value, [{ e: ema.host!.subarray(offset, offset + size), keep: f32(ema.decay), take: f32(1 - ema.decay) }]);
        }
        if (plain.length === 0) return;
        const values = p.value.dataSync() as Float32Array;
        const offset = plain[0].slots[i].offset;
        for (const ema of plain) {
          const host = ema.host!;
          const keep = f32(ema.decay);
          const take = f32(1 - ema.decay);
          for (let j = 0; j < values.length; j++) host[offset + j] = f32(host[offset + j] * keep) + f32(values[j] * take);
        }
      });
    }
  }

  private updateDevice(): void {
    const keep = f32(this.decay);
    const take = f32(1 - this.decay);
    tf.tidy(() => {
      this.device!.assign(tf.add(tf.mul(this.device!, keep), tf.mul(this.parameters(), take)));
    });
  }

  /** All averages as one [P] vector, in `namedParameters()` order (a copy). */
  async data(): Promise<Float32Array> {
    return this.host ? this.host.slice() : ((await this.device!.data()) as Float32Array);
  }

  /** One parameter's average in our layout (a new tensor). */
  get(name: string): Tensor {
    const slot = this.slots.find((s) => s.name === name);
    if (!slot) throw new Error(`the EMA has no parameter named ${name}`);
    if (this.host) return tf.tensor(this.host.slice(slot.offset, slot.offset + slot.size), slot.shape, 'float32');
    return tf.tidy(() => tf.reshape(tf.slice(this.device!, [slot.offset], [slot.size]), slot.shape));
  }

  /** The averaged weights in PyTorch layout and names (a state dict to save or load into a model). */
  stateDict(): Map<string, Tensor> {
    const byName = new Map(this.module.namedParameters());
    return new Map(
      this.slots
        .filter(({ name }) => byName.get(name)!.persistent)
        .map(({ name }) => {
          const value = this.get(name);
          const torch = byName.get(name)!.layout.toTorch(value);
          value.dispose();
          return [name, torch];
        }),
    );
  }

  /** Replaces the averages from a PyTorch-layout state dict (e.g. a checkpoint's `model_ema1`). */
  loadStateDict(state: Map<string, Tensor>): void {
    const byName = new Map(this.module.namedParameters());
    const ours = (name: string): Tensor => {
      const value = state.get(name);
      if (!value) throw new Error(`EMA state is missing ${name}`);
      return tf.reshape(byName.get(name)!.layout.fromTorch(value), [-1]);
    };
    if (this.host) {
      // Check every name first, so a bad state changes nothing.
      for (const { name } of this.slots) if (!state.has(name)) throw new Error(`EMA state is missing ${name}`);
      for (const { name, offset, size } of this.slots) {
        const tensor = tf.tidy(() => ours(name));
        const values = tensor.dataSync();
        tensor.dispose();
        if (values.length !== size) throw new Error(`EMA state ${name} has ${values.length} values, expected ${size}`);
        this.host.set(values as Float32Array, offset);
      }
      return;
    }
    tf.tidy(() => {
      this.device!.assign(tf.concat(this.slots.map(({ name }) => ours(name))));
    });
  }

  dispose(): void {
    this.device?.dispose();
  }
}
