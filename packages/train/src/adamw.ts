import { adamwInPlace, HOST_STATE_ARENA_MAX_BYTES, HostStateArena, hostStateArenaBytes, tf, type AdamWScalars, type Tensor } from '@pixelrepa/tensor';
import type { Parameter } from '@pixelrepa/nn';

const f32 = Math.fround;

export interface AdamWConfig {
  betas?: [number, number];
  eps?: number;
}

/** A trainable parameter with its optimiser group (its decoupled weight decay). */
export interface OptimizedParameter {
  name: string;
  parameter: Parameter;
  weightDecay: number;
  /** Its group in the reference's optimizer: 0 no decay (1-D or bias), 1 decay. */
  group: 0 | 1;
}

/**
 * Where optimiser moments and EMAs live: `device` — tensors on the backend (fast); `host` —
 * Float32Arrays off the backend, in host state arenas (WebAssembly memories of their own, updated
 * by the same WASM SIMD kernels as the device state on wasm) or, where the runtime has no WASM
 * SIMD, plain arrays updated by a JS loop; the same float32 arithmetic either way (bit-identical).
 * `host` keeps 4 floats per parameter off WASM's 4 GB heap: JiT-B/16 + MTA-B/16 need ~2.6 GB of
 * moments and EMAs, which leaves too little for training on the heap.
 */
export type StatePlacement = 'device' | 'host';

/** One moment of one parameter: a variable on the backend, or a host array in our layout. */
export type Moment = tf.Variable | Float32Array;

/**
 * AdamW's explicit state: the step count and both moments per parameter name.
 */
export interface AdamWState {
  step: number;
  placement: StatePlacement;
  expAvg: Map<string, Moment>;
  expAvgSq: Map<string, Moment>;
  /** Each parameter's shape in our layout (host moments are flat). */
  shapes: Map<string, number[]>;
  /** Host placement: the arenas the moments are views of (none: plain arrays, the JS loop). */
  arenas: HostStateArena[];
}

/** Options of `adamwInit`. */
export interface AdamWInitOptions {
  placement?: StatePlacement;
  /** Host placement: moments in host state arenas (WASM SIMD passes; default) or plain arrays (JS loop). */
  hostArena?: boolean;
}

/**
 * The reference's parameter groups (`misc.add_weight_decay`): no decay for 1-D parameters (norms,
 * biases) and names ending in `.bias`; decay for the rest. Frozen parameters are left out.
 */
export function weightDecayGroups(named: Array<[string, Parameter]>, weightDecay: number, skip: string[] = []): OptimizedParameter[] {
  return named
    .filter(([, p]) => p.trainable)
    .map(([name, parameter]) => {
      const torchShape = parameter.layout.torchShape(parameter.shape);
      const noDecay = torchShape.length === 1 || name.endsWith('.bias') || skip.includes(name);
      return { name, parameter, weightDecay: noDecay ? 0 : weightDecay, group: noDecay ? 0 : 1 };
    });
}

/** Zero moments for every parameter, on the device (default) or on the host. */
export function adamwInit(parameters: OptimizedParameter[], { placement = 'device', hostArena = true }: AdamWInitOptions = {}): AdamWState {
  const shapes = new Map(parameters.map(({ name, parameter }) => [name, [...parameter.value.shape]]));
  if (placement === 'host') {
    const { expAvg, expAvgSq, arenas } = hostMoments(parameters, hostArena);
    return { step: 0, placement, expAvg, expAvgSq, shapes, arenas };
  }
  // The zero tensors are freed; the variables (which share their data) stay.
  const zeros = () =>
    new Map<string, Moment>(
      parameters.map(({ name, parameter }) => {
        const initial = tf.zerosLike(parameter.value);
        const variable = tf.variable(initial, false);
        initial.dispose();
        return [name, variable];
      }),
    );
  return { step: 0, placement, expAvg: zeros(), expAvgSq: zeros(), shapes, arenas: [] };
}

/**
 * Zero host moments: both moments of consecutive parameters in one arena, as many parameters per
 * arena as fit one WASM memory (4 GiB); plain arrays where the runtime has no WASM SIMD or
 * `hostArena` is false.
 */
function hostMoments(
  parameters: OptimizedParameter[],
  hostArena: boolean,
): { expAvg: Map<string, Float32Array>; expAvgSq: Map<string, Float32Array>; arenas: HostStateArena[] } {
  const expAvg = new Map<string, Float32Array>();
  const expAvgSq = new Map<string, Float32Array>();
  const arenas: HostStateArena[] = [];
  const plain = (from: number) => {
    for (const { name, parameter } of parameters.slice(from)) {
      expAvg.set(name, new Float32Array(parameter.value.size));
      expAvgSq.set(name, new Float32Array(parameter.value.size));
    }
  };
  if (!hostArena) {
    plain(0);
    return { expAvg, expAvgSq, arenas };
  }
  for (const [start, end] of hostArenaRuns(parameters.map(({ parameter }) => parameter.value.size))) {
    const sizes = parameters.slice(start, end).map(({ parameter }) => parameter.value.size);
    const arena = HostStateArena.create([...sizes, ...sizes], Math.max(...sizes));
    if (!arena) {
      plain(start);
      break;
    }
    arenas.push(arena);
    parameters.slice(start, end).forEach(({ name }, i) => {
      expAvg.set(name, arena.views[i]);
      expAvgSq.set(name, arena.views[sizes.length + i]);
    });
  }
  return { expAvg, expAvgSq, arenas };
}

/**
 * How parameters of these sizes are split over arenas: [start, end) runs of consecutive parameters,
 * each as long as both moments of its parameters and a staging area for its largest fit one WASM
 * memory (4 GiB).
 */
export function hostArenaRuns(sizes: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = 0;
  while (start < sizes.length) {
    let end = start;
    let floats = 0;
    let largest = 0;
    for (; end < sizes.length; end++) {
      const next = floats + sizes[end];
      const nextLargest = Math.max(largest, sizes[end]);
      // Both moments of each parameter (each block rounded up to 4 floats: at most 3 more each).
      if (hostStateArenaBytes([2 * next + 6 * (end + 1 - start)], nextLargest) > HOST_STATE_ARENA_MAX_BYTES) break;
      floats = next;
      largest = nextLargest;
    }
    if (end === start) throw new RangeError(`AdamW: the moments of a parameter of ${sizes[start]} values alone exceed one WASM memory (4 GiB)`);
    runs.push([start, end]);
    start = end;
  }
  return runs;
}

/**
 * One AdamW step in place, replaying torch 1.13's single-tensor AdamW in float32, elementwise:
 * p ← p·(1 − lr·wd); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 * p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps).
 * `grads` is keyed by parameter name; the caller keeps ownership of the gradients.
 */
export function adamwUpdate(
  state: AdamWState,
  parameters: OptimizedParameter[],
  grads: Map<string, Tensor>,
  lr: number,
  { betas = [0.9, 0.95], eps = 1e-8 }: AdamWConfig = {},
): void {
  const [beta1, beta2] = betas;
  state.step += 1;
  const step = state.step;
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  for (const { name, parameter, weightDecay } of parameters) {
    const grad = grads.get(name);
    if (!grad) throw new Error(`AdamW: no gradient for ${name}`);
    const m = state.expAvg.get(name)!;
    const v = state.expAvgSq.get(name)!;
    const scalars: AdamWScalars = {
      decay: f32(1 - lr * weightDecay),
      b1: f32(beta1),
      c1: f32(1 - beta1),
      b2: f32(beta2),
      c2: f32(1 - beta2),
      bias2: f32(bias2Sqrt),
      eps: f32(eps),
      step: f32(-stepSize),
      decays: weightDecay !== 0,
    };
    if (m instanceof Float32Array && v instanceof Float32Array) {
      // One WASM SIMD pass in the moments' arena; the JS loop for plain arrays.
      const arena = state.arenas.find((a) => a.owns(m));
      if (arena && arena.owns(v)) arena.adamw(parameter.variable, grad, m, v, scalars);
      else hostUpdate(parameter, grad, m, v, scalars);
      continue;
    }
    if (m instanceof Float32Array || v instanceof Float32Array) throw new Error(`AdamW: the moments of ${name} are on different placements`);
    // On wasm: one fused pass (same float32 operations, same bits); elsewhere the tf ops below.
    const fused = adamwInPlace(parameter.variable, grad, m, v, scalars);
    if (fused) continue;
    tf.tidy(() => {
      // Scalars are rounded to float32 as torch rounds them; per parameter (a flat buffer would need
      // slicing it back apart, which WASM does slowly).
      const decayed = weightDecay !== 0 ? tf.mul(parameter.value, f32(1 - lr * weightDecay)) : parameter.value;
      const mNext = tf.add(tf.mul(m, f32(beta1)), tf.mul(grad, f32(1 - beta1)));
      const vNext = tf.add(tf.mul(v, f32(beta2)), tf.mul(tf.mul(grad, f32(1 - beta2)), grad));
      const denom = tf.add(tf.div(tf.sqrt(vNext), f32(bias2Sqrt)), f32(eps));
      const pNext = tf.add(decayed, tf.div(tf.mul(mNext, f32(-stepSize)), denom));
      m.assign(mNext);
      v.assign(vNext);
      parameter.variable.assign(pNext);
    });
  }
}

/**
 * The device update's arithmetic on plain host arrays (where no WASM SIMD runs), each operation
 * rounded to float32 as the kernels round it (float64 then `fround` is exact IEEE float32 for
 * + − × ÷ √), so every placement gives the same bits.
 */
function hostUpdate(parameter: OptimizedParameter['parameter'], grad: Tensor, m: Float32Array, v: Float32Array, s: AdamWScalars): void {
  const g = grad.dataSync() as Float32Array;
  const p = Float32Array.from(parameter.value.dataSync() as Float32Array);
  const { decay, b1, c1, b2, c2, bias2, eps, step, decays } = s;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = f32(f32(m[i] * b1) + f32(gi * c1));
    const vi = f32(f32(v[i] * b2) + f32(f32(gi * c2) * gi));
    const denom = f32(f32(f32(Math.sqrt(vi)) / bias2) + eps);
    const decayed = decays ? f32(p[i] * decay) : p[i];
    m[i] = mi;
    v[i] = vi;
    p[i] = decayed + f32(f32(mi * step) / denom);
  }
  const next = tf.tensor(p, parameter.value.shape, 'float32');
  parameter.variable.assign(next);
  next.dispose();
}

/** One parameter's moment (a new tensor): `which` is `expAvg` or `expAvgSq`. */
export function adamwMoment(state: AdamWState, which: 'expAvg' | 'expAvgSq', name: string): Tensor {
  const moment = state[which].get(name);
  if (!moment) throw new Error(`AdamW has no parameter named ${name}`);
  if (moment instanceof Float32Array) return tf.tensor(moment.slice(), state.shapes.get(name), 'float32');
  return tf.clone(moment);
}

/** Replaces the moments from per-parameter tensors (a checkpoint's). */
export function setAdamwMoments(state: AdamWState, which: 'expAvg' | 'expAvgSq', values: Map<string, Tensor>): void {
  for (const [name, moment] of state[which]) {
    const value = values.get(name);
    if (!value) throw new Error(`AdamW state is missing ${which} for ${name}`);
    const size = moment instanceof Float32Array ? moment.length : moment.size;
    if (value.size !== size) throw new Error(`AdamW ${which} for ${name} has ${value.size} values, expected ${size}`);
    if (moment instanceof Float32Array) moment.set(value.dataSync() as Float32Array);
    else tf.tidy(() => moment.assign(tf.reshape(value, moment.shape)));
  }
}

export function disposeAdamW(state: AdamWState): void {
  for (const map of [state.expAvg, state.expAvgSq]) for (const moment of map.values()) if (!(moment instanceof Float32Array)) moment.dispose();
  // Host arenas are WebAssembly memories: freed with the last reference to them.
}
