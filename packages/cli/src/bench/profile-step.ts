import { jitConfig } from '@pixelrepa/jit';
import { recordKernels, setFusedKernels, setWasmBroadcastKernels, type KernelRecord } from '@pixelrepa/tensor';
import type { StepPhase } from '@pixelrepa/train';
import { defineFlags } from '../flags.js';
import { defineBenchmark, round } from './benchmark.js';
import { caseJobs, modelCaseFlags, modelCases, type CaseSettings, type ModelCase } from './cases.js';
import { backendTargets, benchNote, measurePerBackend, type TargetResult } from './per-backend.js';
import { defaultTargetWidth, trainingCase } from './train-step.js';

/** The kinds of work a step's time is split into. */
export const workKinds = [
  'GEMM',
  'attention',
  'elementwise',
  'reductions',
  'copies',
  'other kernels',
  'engine and JS',
  'loss readback',
  'optimizer',
  'EMAs',
] as const;
export type WorkKind = (typeof workKinds)[number];

/**
 * Kernel name → kind of work, for every kernel a training step runs (others count as `other kernels`
 * and are listed by name). Products are GEMM when 2-D (the layers and their gradients) and attention
 * when batched (q·kᵀ, p·v and their gradients); attention also holds the Softmax kernel.
 */
const kernelKinds: Record<string, WorkKind> = {
  Conv2D: 'GEMM',
  Conv2DBackpropInput: 'GEMM',
  Conv2DBackpropFilter: 'GEMM',
  _FusedMatMul: 'GEMM',
  Softmax: 'attention',
  ...Object.fromEntries(
    [
      'Abs',
      'Add',
      'AddN',
      'Cast',
      'ClipByValue',
      'Cos',
      'Elu',
      'Equal',
      'Erf',
      'Exp',
      'Fill',
      'Floor',
      'Greater',
      'GreaterEqual',
      'LeakyRelu',
      'Less',
      'LessEqual',
      'Log',
      'LogicalAnd',
      'LogicalNot',
      'Maximum',
      'Minimum',
      'Multiply',
      'Neg',
      'NotEqual',
      'OnesLike',
      'Pow',
      'Prelu',
      'RealDiv',
      'Reciprocal',
      'Relu',
      'Relu6',
      'Round',
      'Rsqrt',
      'Select',
      'Sigmoid',
      'Sign',
      'Sin',
      'Softplus',
      'Sqrt',
      'Square',
      'SquaredDifference',
      'Step',
      'Sub',
      'Tanh',
      'ZerosLike',
      'RmsNormWasm',
      'RmsNormGradWasm',
      'SwigluWasm',
      'SwigluGradWasm',
      'RopeWasm',
      'RopeGradWasm',
    ].map((name) => [name, 'elementwise' as WorkKind]),
  ),
  ...Object.fromEntries(['All', 'Any', 'ArgMax', 'ArgMin', 'Max', 'Mean', 'Min', 'Prod', 'Sum'].map((name) => [name, 'reductions' as WorkKind])),
  ...Object.fromEntries(
    [
      'BroadcastTo',
      'Concat',
      'ExpandDims',
      'GatherV2',
      'GatherNd',
      'Identity',
      'MirrorPad',
      'Pack',
      'PadV2',
      'Reshape',
      'Reverse',
      'ScatterNd',
      'Slice',
      'SplitV',
      'Squeeze',
      'StridedSlice',
      'Tile',
      'Transpose',
      'Unpack',
    ].map((name) => [name, 'copies' as WorkKind]),
  ),
};

/** The kind of one kernel call. */
export function kindOf(kernel: Pick<KernelRecord, 'name' | 'inputShapes'>): WorkKind {
  if (kernel.name === 'DenseChunksWasm') return 'GEMM'; // a layer's product (in chunks, with its bias)
  if (kernel.name === 'BatchMatMul') {
    const batch = kernel.inputShapes[0].slice(0, -2).reduce((n, d) => n * d, 1);
    return batch > 1 ? 'attention' : 'GEMM';
  }
  return kernelKinds[kernel.name] ?? 'other kernels';
}

const phases: readonly StepPhase[] = ['gradients', 'losses', 'optimizer', 'emas'];
const phaseKinds: Record<StepPhase, WorkKind | null> = { gradients: null, losses: 'loss readback', optimizer: 'optimizer', emas: 'EMAs' };

/** One step's milliseconds by kind of work, from its kernel calls and the times its phases ended. */
export function stepByKind(
  startMs: number,
  phaseEnds: Record<StepPhase, number>,
  kernels: readonly KernelRecord[],
): { ms: Record<WorkKind, number>; other: Record<string, number> } {
  const ms = Object.fromEntries(workKinds.map((kind) => [kind, 0])) as Record<WorkKind, number>;
  const other: Record<string, number> = {};
  let phaseStart = startMs;
  for (const phase of phases) {
    const inPhase = kernels.filter((k) => k.startMs >= phaseStart && k.startMs < phaseEnds[phase]);
    const wall = phaseEnds[phase] - phaseStart;
    const kind = phaseKinds[phase];
    if (kind)
      ms[kind] += wall; // the optimizer's and EMAs' own kernels (if any) count as theirs
    else {
      let kernelMs = 0;
      for (const k of inPhase) {
        const kernelKind = kindOf(k);
        ms[kernelKind] += k.ms;
        kernelMs += k.ms;
        if (kernelKind === 'other kernels') other[k.name] = (other[k.name] ?? 0) + k.ms;
      }
      ms['engine and JS'] += wall - kernelMs;
    }
    phaseStart = phaseEnds[phase];
  }
  return { ms, other };
}

/** What `--composite_only` may switch off: our fused ops and the broadcasting binary kernels. */
const switchable = ['rmsNorm', 'swiglu', 'rope', 'denseChunks', 'broadcast'] as const;
type Switchable = (typeof switchable)[number];

interface Settings extends CaseSettings {
  targetWidth: number;
  /** Which of ours run as tfjs's ops and kernels instead (all of them for `--composite`). */
  composite: Switchable[];
  /** How many of the slowest kernels to list. */
  top: number;
}

interface Profile {
  runs: number;
  stepMs: number;
  byKind: Array<{ kind: WorkKind; ms: number; share: number }>;
  otherKernels: Record<string, number>;
  topKernels: Array<{ kernel: string; inputShapes: string; calls: number; ms: number }>;
}

const defaults: ModelCase[] = [{ preset: 'JiT-Tiny/4', batch: 32 }];

/**
 * Where a training step's time goes, by kind of work: the step of `train-step`, with every kernel
 * call timed (`recordKernels`) and the step's parts (gradients, loss readback, AdamW, EMAs) timed
 * as they end.
 */
export const profileStepBenchmark = defineBenchmark({
  name: 'profile-step',
  about: "one training step's time by kind of work (GEMM, attention, elementwise, reductions, copies, optimizer, EMAs)",
  description: [
    'The step of train-step (JiT + MTA forward, PixelREPA loss, backward, AdamW, both EMAs) after one warm-up step,',
    'with every registered kernel call timed. Forward and backward: kernel time by kind (2-D products = GEMM; batched',
    'products and Softmax = attention; elementwise, reductions, copies (transposes, pads, slices, concats, reshapes)),',
    "the rest of that phase = engine and JS. AdamW, the EMAs and reading the losses back: their phases' wall time.",
    'Figures are the mean over --runs profiled steps. Kernel times are exact on cpu and wasm (synchronous); on GPU',
    'backends they are dispatch times only.',
  ].join('\n'),
  flags: defineFlags({
    ...modelCaseFlags,
    runs: { ...modelCaseFlags.runs, default: 1, description: 'profiled steps after a warm-up; figures are their mean' },
    top: { type: 'integer', value: 'n', default: 20, description: 'list this many of the slowest kernels (by name and input shapes)' },
    target_width: { type: 'integer', value: 'Dz', description: 'width of the stand-in target tokens (default: 96 for JiT-Tiny/4, 768 otherwise)' },
    composite: {
      type: 'boolean',
      description: "run tfjs's ops and kernels instead of our fused RMSNorm, SwiGLU, RoPE and broadcasting kernels (before and after)",
    },
    composite_only: { type: 'string', value: 'list', description: `as --composite for only these, comma-separated (${switchable.join(', ')})` },
  }),
  examples: [
    'npm run bench -- profile-step',
    'npm run bench -- profile-step --preset JiT-B/16 --threads 2',
    'npm run bench -- profile-step --composite',
    'npm run bench -- profile-step --composite_only swiglu',
  ],
  async run(values, { stderr }) {
    const only = values.composite_only?.split(',').map((name) => name.trim()) ?? [];
    const unknown = only.filter((name) => !(switchable as readonly string[]).includes(name));
    if (unknown.length) throw new Error(`--composite_only: unknown ${unknown.join(', ')} (one of ${switchable.join(', ')})`);
    const composite = values.composite ? [...switchable] : (only as Switchable[]);
    const cases = modelCases(values, defaults);
    cases.forEach((c) => jitConfig(c.preset));
    const results = await measurePerBackend<Settings, Profile & { fusedKernels: boolean; compositeOps: Switchable[] }>({
      workload: 'transformer',
      name: 'profile-step',
      jobs: caseJobs(backendTargets(values.backend, values.threads), cases, (_target, c): Settings => ({
        ...c,
        runs: values.runs,
        warmUp: true,
        targetWidth: values.target_width ?? defaultTargetWidth(c.preset),
        composite,
        top: values.top,
      })),
      measure,
      stderr,
      timeoutSeconds: values.timeout,
    });
    for (const result of results) stderr.write(profileTable(result as TargetResult<Profile> & ModelCase));
    return { timing: 'kernel calls timed one by one (recordKernels); phases by their end times; mean over the profiled steps', results };
  },
});

async function measure({
  preset,
  batch,
  runs,
  targetWidth,
  composite,
  top,
}: Settings): Promise<Profile & { fusedKernels: boolean; compositeOps: Switchable[] }> {
  setFusedKernels(!composite.includes('rmsNorm'), ['rmsNorm']);
  setFusedKernels(!composite.includes('swiglu'), ['swiglu']);
  setFusedKernels(!composite.includes('rope'), ['rope']);
  setFusedKernels(!composite.includes('denseChunks'), ['denseChunks']);
  setWasmBroadcastKernels(!composite.includes('broadcast'));
  benchNote(`${preset} ×${batch}: building, then 1 + ${runs} steps${composite.length ? `, composite ops for ${composite.join(', ')}` : ''}`);
  const training = trainingCase(preset, batch, targetWidth);
  try {
    await training.step();
    const total = Object.fromEntries(workKinds.map((kind) => [kind, 0])) as Record<WorkKind, number>;
    const other: Record<string, number> = {};
    const byKernel = new Map<string, { calls: number; ms: number }>();
    let stepMs = 0;
    for (let run = 0; run < runs; run++) {
      const ends = {} as Record<StepPhase, number>;
      const startMs = performance.now();
      const { kernels } = await recordKernels(() =>
        training.step((phase) => {
          ends[phase] = performance.now();
        }),
      );
      stepMs += ends.emas - startMs;
      benchNote(`${preset} ×${batch}: a profiled step took ${((ends.emas - startMs) / 1000).toFixed(2)} s, ${kernels.length} kernel calls`);
      const split = stepByKind(startMs, ends, kernels);
      for (const kind of workKinds) total[kind] += split.ms[kind];
      for (const [name, ms] of Object.entries(split.other)) other[name] = (other[name] ?? 0) + ms;
      for (const k of kernels) {
        const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
        const entry = byKernel.get(key) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += k.ms;
        byKernel.set(key, entry);
      }
    }
    const mean = (ms: number) => round(ms / runs, 1);
    return {
      runs,
      fusedKernels: composite.length === 0,
      compositeOps: composite,
      stepMs: mean(stepMs),
      byKind: workKinds.map((kind) => ({ kind, ms: mean(total[kind]), share: round(total[kind] / stepMs, 3) })),
      otherKernels: Object.fromEntries(Object.entries(other).map(([name, ms]) => [name, mean(ms)])),
      topKernels: [...byKernel]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, top)
        .map(([key, v]) => {
          const space = key.indexOf(' ');
          return { kernel: key.slice(0, space), inputShapes: key.slice(space + 1), calls: v.calls / runs, ms: mean(v.ms) };
        }),
    };
  } finally {
    training.dispose();
  }
}

/** The profile as a table for the terminal. */
function profileTable(result: TargetResult<Profile> & ModelCase): string {
  const head = `${result.preset} ×${result.batch} on ${result.config} (load ${result.loadAverage1m ?? '?'})`;
  if (!result.byKind) return `${head}: ${result.reason ?? result.failed ?? 'no figures'}\n`;
  const rows = result.byKind.map(({ kind, ms, share }) => `  ${kind.padEnd(14)} ${ms.toFixed(1).padStart(9)} ms ${(share * 100).toFixed(1).padStart(6)} %`);
  return `${head}: step ${result.stepMs} ms\n${rows.join('\n')}\n`;
}
