import { tf, type Tensor } from '@pixelrepa/tensor';
import { tensorStateDict } from '@pixelrepa/nn';
import { isRawTensor, type CheckpointValue, type RawTensor } from '@pixelrepa/io';
import { setAdamwMoments, type AdamWState, type OptimizedParameter } from './adamw.js';

/** What {@link loadTorchAdamW} took from a checkpoint, for messages. */
export interface TorchAdamWImport {
  /** The optimizer step the moments belong to (AdamW's bias correction continues from it). */
  step: number;
  /** Parameters whose moments were taken. */
  loaded: number;
  /** Parameters of the checkpoint without a counterpart here (e.g. the adapter when this run has no objective). */
  unmatched: number;
  /** Parameters here that the checkpoint had no state for (never updated there); they start at zero. */
  zero: number;
}

/**
 * Loads the state of an official `torch.optim.AdamW` — the checkpoint's `optimizer`:
 * `{state: {index: {step, exp_avg, exp_avg_sq}}, param_groups: [{params: [index, …]}, …]}` — into
 * this run's AdamW. torch numbers parameters by their order in `param_groups`; the reference builds
 * those with `misc.add_weight_decay`: group 0 the no-decay parameters, group 1 the rest, each in
 * `named_parameters()` order (the Denoiser's `net.*`, then the adapter's). Ours are in the same
 * order, so the k-th index of group g is our k-th parameter of group g; every pair must have the
 * same shape. A checkpoint group longer than ours (the adapter's parameters when this run trains
 * the JiT alone) leaves its tail out; a shorter one is an error.
 */
export function loadTorchAdamW(state: AdamWState, parameters: OptimizedParameter[], optimizer: CheckpointValue): TorchAdamWImport {
  const { groups, entries } = readTorchAdamW(optimizer);
  const ours: OptimizedParameter[][] = [[], []];
  for (const parameter of parameters) ours[parameter.group].push(parameter);
  if (groups.length !== 2) {
    throw new Error(
      `the checkpoint's optimizer has ${groups.length} parameter group${groups.length === 1 ? '' : 's'}; the reference's AdamW has 2 (no decay, decay)`,
    );
  }
  const moments = { exp_avg: new Map<string, RawTensor>(), exp_avg_sq: new Map<string, RawTensor>() };
  const steps = new Set<number>();
  let unmatched = 0;
  let zero = 0;
  for (const g of [0, 1] as const) {
    const indices = groups[g];
    if (indices.length < ours[g].length) {
      throw new Error(
        `the checkpoint's optimizer group ${g} (${g === 0 ? 'no decay' : 'decay'}) has ${indices.length} parameters, this run has ${ours[g].length}: it was saved from a smaller model or objective`,
      );
    }
    unmatched += indices.length - ours[g].length;
    ours[g].forEach(({ name, parameter }, k) => {
      const entry = entries.get(indices[k]);
      if (!entry) {
        zero++;
        return;
      }
      const torchShape = parameter.layout.torchShape(parameter.shape);
      for (const key of ['exp_avg', 'exp_avg_sq'] as const) {
        const moment = entry[key];
        if (moment.shape.join(',') !== torchShape.join(',')) {
          throw new Error(
            `the checkpoint's optimizer parameter ${indices[k]} (group ${g}, position ${k}) has ${key} of shape [${moment.shape.join(', ')}], but the parameter it maps to, ${name}, is [${torchShape.join(', ')}]: the checkpoint belongs to another model config`,
          );
        }
        moments[key].set(name, moment);
      }
      steps.add(entry.step);
    });
  }
  if (steps.size > 1) throw new Error(`the checkpoint's optimizer parameters are at different steps (${[...steps].join(', ')}); expected one step for all`);
  for (const [key, which] of [
    ['exp_avg', 'expAvg'],
    ['exp_avg_sq', 'expAvgSq'],
  ] as const) {
    const raw = moments[key];
    const tensors = tensorStateDict(raw);
    const values = new Map<string, Tensor>();
    try {
      for (const { name, parameter } of parameters) {
        const value = tensors.get(name);
        values.set(name, value ? parameter.layout.fromTorch(value) : tf.zerosLike(parameter.value));
      }
      setAdamwMoments(state, which, values);
    } finally {
      tf.dispose([...tensors.values(), ...values.values()]);
    }
  }
  const step = steps.size === 1 ? [...steps][0] : 0;
  state.step = step;
  return { step, loaded: parameters.length - zero, unmatched, zero };
}

interface TorchAdamWEntry {
  step: number;
  exp_avg: RawTensor;
  exp_avg_sq: RawTensor;
}

/** Checks the shape of a torch optimizer state dict as the restricted unpickler returns it. */
function readTorchAdamW(optimizer: CheckpointValue): { groups: number[][]; entries: Map<number, TorchAdamWEntry> } {
  const fail = (what: string): never => {
    throw new Error(`the checkpoint's optimizer is not a torch AdamW state dict: ${what}`);
  };
  if (!isPlainRecord(optimizer)) return fail('expected a dict with "state" and "param_groups"');
  const groupsValue = optimizer.param_groups;
  if (!Array.isArray(groupsValue)) return fail('"param_groups" is not a list');
  const groups = groupsValue.map((group, g) => {
    const params = isPlainRecord(group) ? group.params : undefined;
    if (!Array.isArray(params)) return fail(`param_groups[${g}] has no "params" list`);
    return params.map((index) => asInteger(index) ?? fail(`param_groups[${g}].params holds ${String(index)}, not an integer`));
  });
  const stateValue = optimizer.state;
  const stateEntries: Array<[CheckpointValue, CheckpointValue]> =
    stateValue instanceof Map ? [...stateValue] : isPlainRecord(stateValue) ? Object.entries(stateValue) : fail('"state" is not a dict');
  const entries = new Map<number, TorchAdamWEntry>();
  for (const [key, value] of stateEntries) {
    const index = asInteger(key) ?? fail(`state key ${String(key)} is not an integer`);
    const record = isPlainRecord(value) ? value : fail(`state[${index}] is not a dict`);
    const { exp_avg: expAvg, exp_avg_sq: expAvgSq } = record;
    if (!isRawTensor(expAvg) || !isRawTensor(expAvgSq)) fail(`state[${index}] lacks exp_avg / exp_avg_sq tensors (is it another optimizer?)`);
    entries.set(index, {
      step: stepOf(record.step) ?? fail(`state[${index}].step is not a number`),
      exp_avg: expAvg as RawTensor,
      exp_avg_sq: expAvgSq as RawTensor,
    });
  }
  return { groups, entries };
}

function isPlainRecord(value: unknown): value is { [key: string]: CheckpointValue } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set) &&
    !ArrayBuffer.isView(value) &&
    !isRawTensor(value)
  );
}

function asInteger(value: unknown): number | undefined {
  const number = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** torch ≥ 1.12 keeps `step` as a one-value float tensor; older versions as a number. */
function stepOf(value: CheckpointValue | undefined): number | undefined {
  if (isRawTensor(value)) return value.data.length === 1 ? Number(value.data[0]) : undefined;
  return asInteger(value);
}
