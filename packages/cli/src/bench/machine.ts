import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';

/**
 * The machine a benchmark ran on, for its JSON output. The load average tells whether others were
 * using the cores at the time (then thread scaling and absolute figures are not trustworthy).
 */
export function machineInfo(): { cpu: string; cores: number; memoryGiB: number; os: string; node: string; loadAverage1m: number } {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}
