import { tf, type Tensor } from '@pixelrepa/tensor';
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
 * AdamW's explicit state: the step count and both moments per parameter name.
 */
export interface AdamWState {
  step: number;
  expAvg: Map<string, tf.Variable>;
  expAvgSq: Map<string, tf.Variable>;
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

/** Zero moments for every parameter. */
export function adamwInit(parameters: OptimizedParameter[]): AdamWState {
  // The zero tensors are freed; the variables (which share their data) stay.
  const zeros = () => new Map(parameters.map(({ name, parameter }) => {
    const initial = tf.zerosLike(parameter.value);
    const variable = tf.variable(initial, false);
    initial.dispose();
    return [name, variable];
  }));
  return { step: 0, expAvg: zeros(), expAvgSq: zeros() };
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

/** One parameter's moment (a new tensor): `which` is `expAvg` or `expAvgSq`. */
export function adamwMoment(state: AdamWState, which: 'expAvg' | 'expAvgSq', name: string): Tensor {
  const moment = state[which].get(name);
  if (!moment) throw new Error(`AdamW has no parameter named ${name}`);
  return tf.clone(moment);
}

/** Replaces the moments from per-parameter tensors (a checkpoint's). */
export function setAdamwMoments(state: AdamWState, which: 'expAvg' | 'expAvgSq', values: Map<string, Tensor>): void {
  for (const [name, moment] of state[which]) {
    const value = values.get(name);
    if (!value) throw new Error(`AdamW state is missing ${which} for ${name}`);
    if (value.size !== moment.size) throw new Error(`AdamW ${which} for ${name} has ${value.size} values, expected ${moment.size}`);
    tf.tidy(() => moment.assign(tf.reshape(value, moment.shape)));
  }
}

export function disposeAdamW(state: AdamWState): void {
  for (const map of [state.expAvg, state.expAvgSq]) for (const variable of map.values()) variable.dispose();
}
