import type { InceptionFeatureExtractor } from '@pixelrepa/metrics';
import type { CommandSpec, FlagTable, ParsedCommandLine } from './flags.js';

/** Where a command writes: results (JSON, tables) to `stdout`, progress and notes to `stderr`. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * What a command runs with. `main.ts` passes the process's streams; tests pass buffers and
 * stand-ins for what would be downloaded (the FID Inception network).
 */
export interface CommandContext {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Relative paths on the command line are resolved against this folder. */
  cwd: string;
  /** `eval`: the feature network to use instead of the cached FID Inception weights. */
  extractor?: InceptionFeatureExtractor;
  /** `train`: listen for SIGINT / SIGTERM (default true; tests that run in-process turn it off). */
  handleSignals?: boolean;
}

/** A command: its flag table (which also makes `--help`) and what it does. Resolves to the exit status. */
export interface Command<T extends FlagTable = FlagTable> {
  spec: CommandSpec<T>;
  run(parsed: ParsedCommandLine<T>, context: CommandContext): Promise<number>;
}

/** A command that reads its words itself (`bench <name> …`: each benchmark has its own flags). */
export interface WordsCommand {
  spec: CommandSpec;
  runWords(words: readonly string[], context: CommandContext): Promise<number>;
}

/** Keeps the flag table's literal types for `run`. */
export function defineCommand<const T extends FlagTable>(spec: CommandSpec<T>, run: Command<T>['run']): Command<T> {
  return { spec, run };
}

/** A context writing to the process's streams, relative to its working folder. */
export function processContext(): CommandContext {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), handleSignals: true };
}
