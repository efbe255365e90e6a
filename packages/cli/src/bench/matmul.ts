import { availableParallelism } from 'node:os';
import { createRng, tf } from '@pixelrepa/tensor';
import { defineFlags } from '../flags.js';
import { defineBenchmark, median, round } from './benchmark.js';
import { backendListFlags, backendTargets, jobsPerTarget, measurePerBackend } from './per-backend.js';

interface Settings {
  sizes: number[];
  runs: number;
}

/**
 * GFLOP/s (2·n³ FLOPs) of an n×n by n×n product, read back with `await data()`, median of several
 * timed runs after a warm-up, on every backend configuration.
 */
export const matmulBenchmark = defineBenchmark({
  name: 'matmul',
  about: 'GFLOP/s of n×n matmuls on every backend that starts (one process per backend)',
  flags: defineFlags({
    ...backendListFlags({ backends: ['cpu', 'wasm', 'webgpu', 'node', 'node-gpu'], threads: [...new Set([1, 2, availableParallelism()])] }),
    sizes: { type: 'numbers', value: 'list', default: [512, 1024], description: 'matrix sizes n' },
    runs: { type: 'integer', value: 'n', default: 5, description: 'timed runs per size (the median is reported)' },
  }),
  examples: ['pixelrepa bench matmul --backend wasm --threads 1,2 --sizes 1024'],
  async run(values, { stderr }) {
    const results = await measurePerBackend<Settings, object>({
      name: 'matmul',
      jobs: jobsPerTarget(backendTargets(values.backend, values.threads), () => ({ sizes: values.sizes, runs: values.runs })),
      measure,
      stderr,
    });
    return {
      flops: '2·n³ per n×n·n×n product; median of runs after warm-up; time includes reading the result back',
      sizes: values.sizes,
      runs: values.runs,
      results,
    };
  },
});

async function measure({ sizes, runs }: Settings): Promise<object> {
  const gflops: Record<string, number> = {};
  const medianMs: Record<string, number> = {};
  // CPU time over wall time during the timed runs: about `threads` when every thread had a core.
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
    const ms = median(times);
    medianMs[n] = round(ms, 2);
    gflops[n] = round((2 * n ** 3) / (ms / 1000) / 1e9, 2);
    tf.dispose([a, b]);
  }
  return { gflops, medianMs, cpuPerWall };
}
