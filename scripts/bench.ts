// Benchmarks: `npm run bench -- <name> [options]` prints one JSON object with the machine and the
// benchmark's results. Each benchmark is a module in scripts/bench/ exporting
// `run(args: string[]): Promise<object>`; register it below with one line.
import { machineInfo } from './bench/machine.ts';

interface Benchmark {
  run(args: string[]): Promise<object>;
}

const benchmarks: Record<string, { about: string; load: () => Promise<Benchmark> }> = {
  matmul: { about: 'GFLOP/s of n×n matmuls on every backend that starts (one process per backend)', load: () => import('./bench/matmul.ts') },
  data: { about: 'images/s of the data pipeline (decode, crop, flip; workers; packed cache)', load: () => import('./bench/data.ts') },
  encoder: { about: 'images/s of the DINOv2 ViT-B/16 encoder at 256 px per backend (random weights)', load: () => import('./bench/encoder.ts') },
  inception: { about: 'images/s of the FID Inception network per backend (random weights) and the time of one 2048-d FID', load: () => import('./bench/inception.ts') },
};

function usage(): string {
  const names = Object.entries(benchmarks).map(([name, { about }]) => `  ${name.padEnd(14)}${about}`).join('\n');
  return `usage: npm run bench -- <name> [options]\n\nbenchmarks:\n${names}\n`;
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  process.stdout.write(usage());
  process.exit(name ? 0 : 1);
}
const benchmark = benchmarks[name];
if (!benchmark) {
  process.stderr.write(`unknown benchmark "${name}"\n\n${usage()}`);
  process.exit(1);
}
const machine = machineInfo(); // before running, so the load average is other people's
const result = await (await benchmark.load()).run(args);
console.log(JSON.stringify({ benchmark: name, machine, ...result }, null, 2));
