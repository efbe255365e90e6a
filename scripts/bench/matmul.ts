// Matmul throughput per backend: GFLOP/s (2·n³ FLOPs) of an n×n by n×n product, read back with
// `await data()`, median of several timed runs after a warm-up. Every backend configuration runs in
// its own child process so thread pools and backends never share one.
//
//   npm run bench -- matmul [--backend cpu,wasm,webgpu] [--sizes 512,1024] [--runs 5] [--threads 1,2]
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, initBackend, tf, type BackendInfo, type BackendName } from '@pixelrepa/tensor';

interface Config {
  /** A label for the output: backend plus thread count. */
  id: string;
  backend: BackendName;
  threads?: number;
}

interface Measurement {
  config: string;
  backend: BackendName;
  available: boolean;
  threads?: number;
  /** GFLOP/s by matrix size n (n×n · n×n). */
  gflops?: Record<string, number>;
  /** Median milliseconds per product by size. */
  medianMs?: Record<string, number>;
  /**
   * CPU time of this process over wall time during the timed runs, by size: about `threads` when
   * every thread had a core; lower when others were using the cores.
   */
  cpuPerWall?: Record<string, number>;
  adapter?: string;
  reason?: string;
  /** The 1-minute load average when this configuration started (others share the cores). */
  loadAverage1m?: number;
}

const childFlag = '--child';

/** The configurations to measure: cpu, wasm on each thread count, webgpu, and the libtensorflow bindings. */
function configs(threads: number[]): Config[] {
  return [
    { id: 'cpu', backend: 'cpu' },
    ...threads.map((count) => ({ id: `wasm-${count}t`, backend: 'wasm' as const, threads: count })),
    { id: 'webgpu', backend: 'webgpu' },
    { id: 'node', backend: 'node' },
    { id: 'node-gpu', backend: 'node-gpu' },
  ];
}

/** Runs the benchmark; `args` are the command-line words after its name. */
export async function run(args: string[] = []): Promise<object> {
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string' },
      sizes: { type: 'string', default: '512,1024' },
      runs: { type: 'string', default: '5' },
      threads: { type: 'string', default: [...new Set([1, 2, availableParallelism()])].join(',') },
    },
  });
  const sizes = numbers(values.sizes);
  const runs = Number(values.runs);
  const wanted = values.backend?.split(',').map((s) => s.trim()).filter(Boolean);
  const selected = configs(numbers(values.threads))
    .filter((config) => !wanted || wanted.includes(config.backend) || wanted.includes(config.id));
  if (selected.length === 0) throw new Error(`--backend ${values.backend} matches none of ${configs([1, 2]).map((c) => c.id).join(', ')}`);
  const results: Measurement[] = [];
  for (const config of selected) {
    process.stderr.write(`matmul: ${config.id} …\n`);
    results.push(await inChild(config, sizes, runs));
  }
  return { flops: '2·n³ per n×n·n×n product; median of runs after warm-up; time includes reading the result back', sizes, runs, results };
}

/** Measures one configuration in a fresh Node process (same loader flags as this one). */
function inChild(config: Config, sizes: number[], runs: number): Promise<Measurement> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, childFlag, JSON.stringify({ config, sizes, runs })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as Measurement);
      } catch {
        resolve({ config: config.id, backend: config.backend, available: false, reason: `child exited with ${code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}` });
      }
    });
  });
}

/** Child side: start the backend, then time each size. */
async function measure(config: Config, sizes: number[], runs: number): Promise<Measurement> {
  const loadAverage1m = Number(loadavg()[0].toFixed(2));
  let info: BackendInfo;
  try {
    info = await initBackend(config.backend, config.threads ? { threads: config.threads } : {});
  } catch (error) {
    return { config: config.id, backend: config.backend, available: false, reason: (error as Error).message };
  }
  const gflops: Record<string, number> = {};
  const medianMs: Record<string, number> = {};
  const cpuPerWall: Record<string, number> = {};
  const rng = createRng(0);
  for (const n of sizes) {
    const a = rng.normal([n, n]);
    const b = rng.normal([n, n]);
    const once = async () => {
      const start = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      return performance.now() - start;
    };
    await once(); // warm-up: kernel compilation, thread pool start, allocation
    if (n <= 512) await once();
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    for (let i = 0; i < runs; i++) times.push(await once());
    const cpu = process.cpuUsage(cpuBefore);
    cpuPerWall[n] = round((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore), 2);
    const median = times.sort((x, y) => x - y)[Math.floor(times.length / 2)];
    medianMs[n] = round(median, 2);
    gflops[n] = round((2 * n ** 3) / (median / 1000) / 1e9, 2);
    tf.dispose([a, b]);
  }
  return {
    config: config.id, backend: config.backend, available: true, threads: info.threads, gflops, medianMs, cpuPerWall,
    ...(info.adapter ? { adapter: info.adapter } : {}), loadAverage1m,
  };
}

function numbers(list: string): number[] {
  return list.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

if (process.argv[2] === childFlag) {
  const { config, sizes, runs } = JSON.parse(process.argv[3]) as { config: Config; sizes: number[]; runs: number };
  console.log(JSON.stringify(await measure(config, sizes, runs)));
  process.exit(0);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await run(process.argv.slice(2)), null, 2));
}
