import { processContext, type CommandContext, type WordsCommand } from './context.js';
import { ImageInputError } from '@pixelrepa/data/node';
import { CheckpointInputError } from '@pixelrepa/train';
import { UsageError, messageOf } from './errors.js';
import { helpText, parseCommandLine, type CommandSpec, type FlagTable, type ParsedCommandLine } from './flags.js';
import { benchCommand } from './commands/bench.js';
import { convertCommand } from './commands/convert.js';
import { evalCommand } from './commands/eval.js';
import { infoCommand } from './commands/info.js';
import { mergeCommand } from './commands/merge.js';
import { prepareCommand } from './commands/prepare.js';
import { sampleCommand } from './commands/sample.js';
import { trainCommand } from './commands/train.js';

/** Every `pixelrepa` command, in the order `pixelrepa --help` lists them. */
export const commands = {
  train: trainCommand,
  sample: sampleCommand,
  eval: evalCommand,
  merge: mergeCommand,
  convert: convertCommand,
  prepare: prepareCommand,
  bench: benchCommand,
  info: infoCommand,
} as const;

export type CommandName = keyof typeof commands;

/** Any command, its flag types erased (the dispatcher only passes what the table parsed). */
type AnyCommand = WordsCommand | { spec: CommandSpec; run(parsed: ParsedCommandLine<FlagTable>, context: CommandContext): Promise<number> };

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 3;
  const list = Object.entries(commands)
    .map(([name, command]) => `  ${name.padEnd(width)}${command.spec.summary}`)
    .join('\n');
  return [
    'pixelrepa — pixel-space diffusion transformers (JiT) with representation alignment (PixelREPA, REPA) on TensorFlow.js',
    '',
    'Usage: pixelrepa <command> [flags]',
    '',
    'Commands:',
    list,
    '',
    'Run pixelrepa <command> --help for its flags. Every command takes --config <file.json> (keys are flag names);',
    'flags on the command line override the file. Set PIXELREPA_DEBUG=1 to see stack traces.',
    '',
  ].join('\n');
}

/**
 * Runs `pixelrepa <argv>` and resolves to the exit status: 0 on success, 1 when the command
 * failed, 2 when it was called wrongly (the message then points at `--help`).
 */
export async function runCli(argv: readonly string[], context: CommandContext = processContext()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? context.stderr : context.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = (commands as unknown as Record<string, AnyCommand>)[name];
  if (!command) {
    context.stderr.write(`pixelrepa: unknown command "${name}"; the commands are ${Object.keys(commands).join(', ')} (pixelrepa --help)\n`);
    return 2;
  }
  try {
    if ('runWords' in command) return await command.runWords(rest, context);
    const parsed = parseCommandLine(command.spec, rest, { cwd: context.cwd });
    if (parsed.help) {
      context.stdout.write(helpText(command.spec));
      return 0;
    }
    if (!command.spec.positionals && parsed.positionals.length) {
      throw new UsageError(
        `unexpected argument${parsed.positionals.length > 1 ? 's' : ''} ${parsed.positionals.join(' ')}: ${name} takes only flags (--name value)`,
      );
    }
    return await command.run(parsed, context);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CheckpointInputError || error instanceof ImageInputError) {
      context.stderr.write(`pixelrepa ${name}: ${error.message}\n(see pixelrepa ${name} --help)\n`);
      return 2;
    }
    context.stderr.write(`pixelrepa ${name}: ${messageOf(error)}\n`);
    if (process.env.PIXELREPA_DEBUG) context.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}
