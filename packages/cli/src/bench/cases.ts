import { availableParallelism } from 'node:os';
import { defineFlags } from '../flags.js';
import { UsageError } from '../errors.js';
import { backendListFlags, type BackendTarget, type BenchJob } from './per-backend.js';

/** One model size to time: a JiT preset at a batch size. */
export interface ModelCase {
  preset: string;
  batch: number;
}

/** What a child of the JiT benchmarks times: one case, `runs` times, after a warm-up unless on cpu. */
export interface CaseSettings extends ModelCase {
  runs: number;
  warmUp: boolean;
}

/** `--preset`, `--batch`, `--runs`, `--timeout` and the backends, shared by the JiT benchmarks (default: wasm on every core). */
export const modelCaseFlags = defineFlags({
  ...backendListFlags({ backends: ['wasm'], threads: [availableParallelism()] }),
  preset: { type: 'string', value: 'name', description: 'time only this JiT preset (default: the cases named above)' },
  batch: { type: 'integer', value: 'n', description: "batch size (default: the case's; 1 with --preset)" },
  runs: { type: 'integer', value: 'n', default: 3, description: 'timed runs after a warm-up; the median is reported (cpu: 1 run, no warm-up)' },
  timeout: { type: 'number', value: 's', description: 'give up on a case after this many seconds (default: no limit)' },
});

/** `--preset` / `--batch` → the cases to time; without a preset, `defaults` (with --batch replacing their batch). */
export function modelCases(values: { preset?: string; batch?: number }, defaults: readonly ModelCase[]): ModelCase[] {
  if (values.batch !== undefined && values.batch < 1) throw new UsageError(`--batch must be at least 1, got ${values.batch}`);
  if (values.preset) return [{ preset: values.preset, batch: values.batch ?? 1 }];
  return defaults.map((c) => ({ ...c, batch: values.batch ?? c.batch }));
}

/** One child per backend configuration and case, so a case that runs out of memory spoils no other. */
export function caseJobs<S extends CaseSettings>(
  targets: readonly BackendTarget[],
  cases: readonly ModelCase[],
  settings: (target: BackendTarget, modelCase: ModelCase) => S,
): Array<BenchJob<S>> {
  return targets.flatMap((target) =>
    cases.map((modelCase) => ({ target, settings: settings(target, modelCase), fields: { preset: modelCase.preset, batch: modelCase.batch } })),
  );
}

/** The runs of a case on `target`: cpu is timed once without a warm-up (a JiT-B/16 forward takes minutes there). */
export function caseRuns(target: BackendTarget, runs: number): Pick<CaseSettings, 'runs' | 'warmUp'> {
  return target.backend === 'cpu' ? { runs: 1, warmUp: false } : { runs, warmUp: true };
}
