// The plumbing every per-backend benchmark shares: which backend configurations to measure, and
// measuring each in a fresh child process so thread pools, WASM heaps and GPU devices never mix.
//
// The child is this same command line run again (`pixelrepa bench <name> …` or
// `npm run bench -- <name> …`) with PIXELREPA_BENCH_CHILD set: when the benchmark reaches
// `measurePerBackend`, the child starts its one backend, measures, prints one result line and exits.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { backendNames, explainHeapExhaustion, initBackend, type BackendInfo, type BackendName } from '@pixelrepa/tensor';
import { backendOptions, type WasmWorkload } from '../backend.js';
import type { OutputStream } from '../context.js';
import { UsageError } from '../errors.js';
import { defineFlags } from '../flags.js';

/** One configuration to measure: a backend, and for wasm a thread count. */
export interface BackendTarget {
  /** A label for the output: `cpu`, `wasm-2t`, `webgpu`. */
  id: string;
  backend: BackendName;
  threads?: number;
}

/** What every result says besides the benchmark's own figures. */
export interface TargetHeader {
  config: string;
  backend: BackendName;
  /** Whether the backend started (absent when the child gave no answer: see `failed`). */
  available?: boolean;
  threads?: number;
  /** wasm: the threads of tfjs's XNNPACK pool. */
  xnnpackThreads?: number;
  adapter?: string;
  /** The 1-minute load average when the child started (others share the cores). */
  loadAverage1m?: number;
  /** Why the backend did not start. */
  reason?: string;
  /** Why there are no figures though the backend started (the measurement threw), or how the child ended (crashed, timed out). */
  failed?: string;
  /** The child's peak resident memory in MiB (see `peakRssMiB`), as the PyTorch twins report it. */
  peak_rss_mib?: number;
}

export type TargetResult<M> = TargetHeader & Partial<M>;

const childVariable = 'PIXELREPA_BENCH_CHILD';
const resultMarker = 'PIXELREPA_BENCH_RESULT ';
const noteMarker = 'PIXELREPA_BENCH_NOTE ';

/**
 * This process's peak resident set size in MiB, rounded: getrusage's ru_maxrss (KiB on Linux) / 1024,
 * the figure the PyTorch twins (../shared/perf) print as `peak_rss_mib`. Each case runs in its own
 * child, so it covers building, the warm-up and the timed runs of that case alone.
 */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Child side: a progress note the parent shows (`building JiT-B/16 …`); other child output is kept for errors only. */
export function benchNote(text: string): void {
  process.stderr.write(`${noteMarker}${text}\n`);
}

/** `--backend` (a list) and `--threads` (wasm thread counts) with this benchmark's defaults. */
export function backendListFlags({ backends, threads }: { backends: readonly string[]; threads: readonly number[] }) {
  return defineFlags({
    backend: {
      type: 'list',
      value: 'list',
      default: backends,
      group: 'Backends',
      description: `backends to measure, each in its own process (${[...backendNames].reverse().join(', ')}; wasm-<n>t for one thread count)`,
    },
    threads: { type: 'numbers', value: 'list', default: threads, group: 'Backends', description: 'wasm thread counts (one measurement each)' },
  });
}

/** The configurations of `--backend` × `--threads`: wasm once per thread count (or `wasm-2t`), the others once. */
export function backendTargets(backends: readonly string[], threads: readonly number[]): BackendTarget[] {
  return backends.flatMap((backend): BackendTarget[] => {
    const wasmThreads = /^wasm-(\d+)t$/.exec(backend);
    if (wasmThreads) return [{ id: backend, backend: 'wasm', threads: Number(wasmThreads[1]) }];
    if (backend === 'wasm') return threads.map((count) => ({ id: `wasm-${count}t`, backend: 'wasm', threads: count }));
    if (!(backendNames as readonly string[]).includes(backend)) {
      throw new UsageError(`--backend ${backend} is not a backend; choose from ${[...backendNames].reverse().join(', ')} (or wasm-<n>t)`);
    }
    return [{ id: backend, backend: backend as BackendName }];
  });
}

/** One child process: a backend configuration and what to measure on it. */
export interface BenchJob<S> {
  target: BackendTarget;
  /** What the child needs to know (plain JSON). */
  settings: S;
  /** Put in front of the job's result, also when the child fails (e.g. `{ preset, batch }`). */
  fields?: Record<string, unknown>;
}

export interface PerBackendTask<S, M> {
  /** The benchmark's name (the child checks it is running the task it was started for). */
  name: string;
  jobs: readonly BenchJob<S>[];
  /** Child side, with the backend started: the figures of one job. */
  measure: (settings: S, info: BackendInfo, target: BackendTarget) => Promise<M>;
  stderr: OutputStream;
  /** Kill a child that takes longer (seconds); its result then says so. */
  timeoutSeconds?: number;
  /** How the work uses wasm (XNNPACK's threads, as the CLI's commands set them): default 'convolutions' (all threads). */
  workload?: WasmWorkload;
}

/** One job per target with the same settings (most benchmarks). */
export function jobsPerTarget<S>(targets: readonly BackendTarget[], settings: (target: BackendTarget) => S): Array<BenchJob<S>> {
  return targets.map((target) => ({ target, settings: settings(target) }));
}

/**
 * Runs every job in a fresh child process and returns their results in order; a backend that
 * cannot start, a measurement that throws or a child that dies gives the reason instead of
 * figures. Call it before any other expensive work of the benchmark: the child runs the
 * benchmark up to here again.
 */
export async function measurePerBackend<S, M extends object>(task: PerBackendTask<S, M>): Promise<Array<TargetResult<M>>> {
  const child = process.env[childVariable];
  if (child !== undefined) await runChild(task, child); // never returns
  const results: Array<TargetResult<M>> = [];
  for (const job of task.jobs) {
    const what = Object.entries(job.fields ?? {})
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    task.stderr.write(`${task.name}: ${job.target.id}${what ? ` ${what}` : ''} …\n`);
    results.push({ ...job.fields, ...(await inChild(task, job)) } as TargetResult<M>);
  }
  return results;
}

async function runChild<S, M extends object>(task: PerBackendTask<S, M>, request: string): Promise<never> {
  const { name, target, settings, fields } = JSON.parse(request) as { name: string } & BenchJob<S>;
  if (name !== task.name) throw new Error(`benchmark child for "${name}" reached "${task.name}"; a benchmark may measure per backend once`);
  const loadAverage1m = Number(loadavg()[0].toFixed(2));
  const header = { ...fields, config: target.id, backend: target.backend, loadAverage1m };
  let result: TargetResult<M>;
  let info: BackendInfo | undefined;
  try {
    info = await initBackend(target.backend, backendOptions({ threads: target.threads }, task.workload ?? 'convolutions'));
  } catch (error) {
    result = { ...header, available: false, reason: (error as Error).message } as TargetResult<M>;
  }
  if (info) {
    const started = {
      ...header,
      available: true,
      ...(info.threads !== undefined ? { threads: info.threads } : {}),
      ...(info.xnnpackThreads !== undefined ? { xnnpackThreads: info.xnnpackThreads } : {}),
      ...(info.adapter ? { adapter: info.adapter } : {}),
    };
    try {
      result = { ...started, ...(await task.measure(settings, info, target)) };
    } catch (error) {
      result = { ...started, failed: (explainHeapExhaustion(error, `${target.id}`) as Error).message } as TargetResult<M>;
    }
  }
  result = { ...result!, peak_rss_mib: peakRssMiB() };
  process.stdout.write(`\n${resultMarker}${JSON.stringify(result)}\n`, () => process.exit(0));
  return new Promise<never>(() => {});
}

/** Runs this command line again with the child variable set, and reads its result line. */
function inChild<S, M extends object>(task: PerBackendTask<S, M>, job: BenchJob<S>): Promise<TargetResult<M>> {
  const { target } = job;
  const entry = process.argv[1];
  if (!entry || /vitest|[\\/]node_modules[\\/]/.test(entry)) {
    throw new Error('per-backend benchmarks re-run their own command line in child processes: start them with pixelrepa bench or npm run bench');
  }
  const request = JSON.stringify({ name: task.name, ...job });
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, [childVariable]: request },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  // The child's notes (which case it is on) show as they come, under the configuration's name.
  let partial = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith(noteMarker)) task.stderr.write(`  ${target.id}: ${line.slice(noteMarker.length)}\n`);
  });
  let timedOut = false;
  const timer = task.timeoutSeconds
    ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, task.timeoutSeconds * 1000)
    : undefined;
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout
        .split('\n')
        .reverse()
        .find((text) => text.startsWith(resultMarker));
      if (line) {
        resolve(JSON.parse(line.slice(resultMarker.length)) as TargetResult<M>);
        return;
      }
      const tail = (stderr || stdout)
        .split('\n')
        .filter((text) => text.trim() && !text.startsWith(noteMarker))
        .slice(-3)
        .join(' | ');
      const why = timedOut ? `timed out after ${task.timeoutSeconds} s` : `child exited with ${signal ?? code}`;
      resolve({ config: target.id, backend: target.backend, failed: `${why}${tail ? `: ${tail}` : ''}` } as TargetResult<M>);
    });
  });
}
