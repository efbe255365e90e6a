import type { CommandContext, WordsCommand } from '../context.js';
import { UsageError } from '../errors.js';
import { helpText, parseCommandLine, type CommandSpec } from '../flags.js';
import { benchmarks } from '../bench/registry.js';
import { machineInfo } from '../bench/machine.js';
import { peakRssMiB } from '../bench/per-backend.js';

const spec: CommandSpec = {
  name: 'bench',
  summary: 'benchmarks: matmul, data, encoder, inception, jit-forward, train-step, profile-step, sample (JSON)',
  usage: '<benchmark> [flags]',
  description:
    'Prints one JSON object: the benchmark, the machine (with its load average) and the figures (each case\nwith peak_rss_mib, the peak resident memory of the process that ran it). Backends are measured each in\nits own child process. pixelrepa bench <benchmark> --help lists its flags.',
  flags: {},
  examples: [
    'pixelrepa bench matmul --backend wasm --threads 1,2',
    'pixelrepa bench jit-forward --preset JiT-B/16 --batch 1',
    'pixelrepa bench sample --steps 5',
  ],
};

function benchmarkList(): string {
  const width = Math.max(...Object.keys(benchmarks).map((name) => name.length)) + 3;
  return `Benchmarks:\n${Object.entries(benchmarks)
    .map(([name, b]) => `  ${name.padEnd(width)}${b.about}`)
    .join('\n')}\n`;
}

/** `pixelrepa bench <name> …`: the benchmark's own flags follow its name. */
export const benchCommand: WordsCommand = {
  spec,
  async runWords(words: readonly string[], context: CommandContext): Promise<number> {
    const [name, ...rest] = words;
    if (name === undefined || name === '--help' || name === '-h') {
      const text = `${helpText(spec).trimEnd()}\n\n${benchmarkList()}`;
      (name === undefined ? context.stderr : context.stdout).write(text);
      return name === undefined ? 2 : 0;
    }
    const benchmark = benchmarks[name];
    if (!benchmark) throw new UsageError(`unknown benchmark "${name}"\n${benchmarkList()}`);
    const benchmarkSpec: CommandSpec = {
      name: `bench ${name}`,
      summary: benchmark.about,
      usage: '[flags]',
      description: benchmark.description,
      flags: benchmark.flags,
      examples: benchmark.examples ?? [],
    };
    const parsed = parseCommandLine(benchmarkSpec, rest, { cwd: context.cwd });
    if (parsed.help) {
      context.stdout.write(helpText(benchmarkSpec));
      return 0;
    }
    if (parsed.positionals.length) throw new UsageError(`bench ${name} takes no arguments besides flags, got ${parsed.positionals.join(' ')}`);
    const machine = machineInfo(); // before running, so the load average is other people's
    const result = await benchmark.run(parsed.values, { stderr: context.stderr });
    // This process's own peak (what in-process benchmarks such as `data` use); per-backend cases carry their child's in each result.
    context.stdout.write(`${JSON.stringify({ benchmark: name, machine, ...result, peak_rss_mib: peakRssMiB() }, null, 2)}\n`);
    return 0;
  },
};
