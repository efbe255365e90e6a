import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { benchmarks } from '../bench/registry.js';
import { bufferContext, runCliChild } from '../test-support/harness.js';

interface BenchJson {
  benchmark: string;
  machine: { cores: number; loadAverage1m: number };
  flops?: string;
  results: Array<{ config: string; available?: boolean; reason?: string; failed?: string } & Record<string, unknown>>;
}

describe('pixelrepa bench', () => {
  it('--help lists every benchmark; each benchmark has its own --help', async () => {
    const list = bufferContext(process.cwd());
    expect(await runCli(['bench', '--help'], list.context)).toBe(0);
    for (const name of ['matmul', 'data', 'encoder', 'inception', 'jit-forward', 'train-step', 'sample']) expect(list.stdout()).toContain(`  ${name} `);
    for (const name of Object.keys(benchmarks)) {
      const one = bufferContext(process.cwd());
      expect(await runCli(['bench', name, '--help'], one.context)).toBe(0);
      expect(one.stdout()).toContain(`Usage: pixelrepa bench ${name} [flags]`);
    }
    const unknown = bufferContext(process.cwd());
    expect(await runCli(['bench', 'nope'], unknown.context)).toBe(2);
    expect(unknown.stderr()).toContain('unknown benchmark "nope"');
  });

  it('measures each backend in a child process and reports figures with their formula (JSON)', async () => {
    const run = await runCliChild(['bench', 'jit-forward', '--backend', 'cpu,node', '--preset', 'JiT-Tiny/4', '--batch', '2', '--runs', '1']);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as BenchJson;
    expect(json.benchmark).toBe('jit-forward');
    expect(json.machine.cores).toBeGreaterThan(0);
    expect(json.flops).toContain('2 · jitForwardMacs(config) · batch / seconds');
    const [cpu, node] = json.results;
    expect(cpu).toMatchObject({ preset: 'JiT-Tiny/4', batch: 2, config: 'cpu', available: true });
    expect(cpu.imagesPerSecond).toBeGreaterThan(0);
    expect(cpu.gflopsPerSecond).toBeGreaterThan(0);
    expect(cpu.peak_rss_mib).toBeGreaterThan(50); // a Node process with tfjs loaded holds more than this
    expect(typeof node.peak_rss_mib).toBe('number');
    expect(node).toMatchObject({ preset: 'JiT-Tiny/4', batch: 2, config: 'node', available: false });
    expect(node.reason).toContain('@tensorflow/tfjs-node');
  });

  it('profiles a training step by kind of work, the kinds adding up to the step (wasm, one thread)', async () => {
    const run = await runCliChild(['bench', 'profile-step', '--backend', 'wasm', '--threads', '1', '--preset', 'JiT-Tiny/4', '--batch', '2', '--runs', '1']);
    expect(run.code, run.stderr).toBe(0);
    const [wasm] = (JSON.parse(run.stdout) as BenchJson).results;
    expect(wasm.failed).toBeUndefined();
    const byKind = wasm.byKind as Array<{ kind: string; ms: number }>;
    expect(byKind.map((k) => k.kind)).toEqual([
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
    ]);
    const total = byKind.reduce((sum, k) => sum + k.ms, 0);
    expect(Math.abs(total - (wasm.stepMs as number))).toBeLessThan(1); // each figure rounded to 0.1 ms
    for (const kind of ['GEMM', 'elementwise', 'optimizer']) expect(byKind.find((k) => k.kind === kind)!.ms).toBeGreaterThan(0);
    expect(run.stderr).toContain('JiT-Tiny/4 ×2 on wasm-1t');
  });

  it('times a training step and a short sampling run (wasm, one thread)', async () => {
    for (const [name, extra] of [
      ['train-step', []],
      ['sample', ['--steps', '2']],
    ] as const) {
      const run = await runCliChild(['bench', name, '--backend', 'wasm', '--threads', '1', '--preset', 'JiT-Tiny/4', '--batch', '2', '--runs', '1', ...extra]);
      expect(run.code, run.stderr).toBe(0);
      const [wasm] = (JSON.parse(run.stdout) as BenchJson).results;
      expect(wasm.available, wasm.reason).toBe(true);
      expect(wasm.failed).toBeUndefined();
      expect(name === 'sample' ? wasm.secondsPerImageAt50Steps : wasm.imagesPerSecond).toBeGreaterThan(0);
    }
  });
});
