// Command-line flags from ONE declarative table per command: parsing (command line over an
// optional JSON config file over defaults), typed values and the `--help` text all come from it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError, messageOf } from './errors.js';

/**
 * How a flag's text becomes a value. `path` is a string that, read from a config file, is
 * resolved against the file's folder; `list` / `numbers` are comma-separated; `json` is parsed.
 */
export type FlagType = 'string' | 'path' | 'number' | 'integer' | 'boolean' | 'list' | 'numbers' | 'json';

export interface FlagSpec {
  readonly type: FlagType;
  readonly description: string;
  readonly default?: unknown;
  readonly choices?: readonly string[];
  /** The value's name in the help text: `--model <preset>`. */
  readonly value?: string;
  /** Help section (flags without one are listed first). */
  readonly group?: string;
  /** A `path` flag's values that are names, not paths (never resolved): `--encoder dinov2-vitb14`. */
  readonly keywords?: readonly string[];
  /** Numbers (each item of a `numbers` list): inclusive bounds… */
  readonly min?: number;
  readonly max?: number;
  /** …and exclusive ones. */
  readonly above?: number;
  readonly below?: number;
  /** `numbers`: how many items it takes. */
  readonly count?: number;
  /** `path`: what must already be there (checked before the command runs). */
  readonly exists?: 'file' | 'dir' | 'any';
  /** Any other check of a value: the problem, said after the flag's name, or undefined when it is fine. */
  readonly check?: (value: unknown) => string | undefined;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'number' | 'integer'
    ? number
    : S['type'] extends 'list'
      ? string[]
      : S['type'] extends 'numbers'
        ? number[]
        : S['type'] extends 'json'
          ? unknown
          : S['choices'] extends readonly (infer C)[]
            ? C
            : string;

/** The parsed values: flags with a default (and booleans) are always set. */
export type FlagValues<T extends FlagTable> = {
  -readonly [K in keyof T]: T[K] extends { default: NonNullable<unknown> } | { type: 'boolean' } ? ValueOf<T[K]> : ValueOf<T[K]> | undefined;
};

/** What `--help` shows besides the flags. */
export interface CommandSpec<T extends FlagTable = FlagTable> {
  name: string;
  summary: string;
  /** After `pixelrepa <name>`: e.g. `<in.pth> <out.safetensors> [flags]`. */
  usage: string;
  description?: string;
  positionals?: ReadonlyArray<{ name: string; description: string }>;
  flags: T;
  examples: readonly string[];
}

export interface ParsedCommandLine<T extends FlagTable> {
  values: FlagValues<T>;
  positionals: string[];
  /** `--help` or `-h` was given (nothing else is checked then). */
  help: boolean;
  /** Flags set by the command line or the config file (not defaults). */
  given: Set<keyof T & string>;
  configFile?: string;
}

/** Declares a flag table with its literal types kept (for typed values). */
export function defineFlags<const T extends FlagTable>(table: T): T {
  return table;
}

/** Flags every command understands; listed under "Common" in the help. */
const universal = {
  config: {
    type: 'path',
    value: 'file.json',
    description: 'read flags from a JSON object whose keys are flag names ({"model": "JiT-B/16", "blr": 5e-5}); flags on the command line override it',
  },
  help: { type: 'boolean', description: 'show this help' },
} as const satisfies FlagTable;

/** `--batch-size` and `--batch_size` are the same flag. */
const canonical = (name: string) => name.replace(/-/g, '_');

/**
 * Parses `argv` (the words after the command name) against `spec.flags`: `--name value`,
 * `--name=value` (values may start with `-`, e.g. `--P_mean -0.8`), `--flag` / `--no-flag` for
 * booleans, positionals anywhere, `--` ends the flags. `--config file.json` is read first and the
 * command line overrides it. Unknown flags and bad values throw a `UsageError` that says what
 * was expected.
 */
export function parseCommandLine<T extends FlagTable>(
  spec: CommandSpec<T>,
  argv: readonly string[],
  { cwd = process.cwd() }: { cwd?: string } = {},
): ParsedCommandLine<T> {
  const byName = new Map(Object.keys(spec.flags).map((name) => [canonical(name), name]));
  const fromCommandLine = new Map<string, string | boolean>();
  const positionals: string[] = [];
  let configFile: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-h') {
      help = true;
      continue;
    }
    if (!word.startsWith('--')) {
      if (word.startsWith('-') && word.length > 1 && !Number.isFinite(Number(word))) {
        throw new UsageError(`unknown option ${word}: flags are written --name (e.g. --model JiT-B/16)`);
      }
      positionals.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const written = equals === -1 ? word.slice(2) : word.slice(2, equals);
    const inline = equals === -1 ? undefined : word.slice(equals + 1);
    const key = canonical(written);
    if (key === 'help') {
      help = true;
      continue;
    }
    if (key === 'config') {
      configFile = inline ?? argv[++i];
      if (configFile === undefined) throw new UsageError('--config needs a file name (--config run.json)');
      continue;
    }
    let name = byName.get(key);
    if (!name && key.startsWith('no_') && spec.flags[byName.get(key.slice(3)) ?? '']?.type === 'boolean') {
      fromCommandLine.set(byName.get(key.slice(3))!, false);
      continue;
    }
    if (!name) throw new UsageError(unknownFlag(`--${written}`, spec));
    name = name as string;
    if (spec.flags[name].type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false')
        throw new UsageError(`--${name} is a switch: write --${name} or --${name}=false, not --${name}=${inline}`);
      fromCommandLine.set(name, inline !== 'false');
      continue;
    }
    const text = inline ?? argv[++i];
    if (text === undefined) throw new UsageError(`--${name} needs a value: --${name} <${spec.flags[name].value ?? spec.flags[name].type}>`);
    fromCommandLine.set(name, text);
  }
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [name, flag] of Object.entries(spec.flags)) values[name] = flag.default ?? (flag.type === 'boolean' ? false : undefined);
  if (help) return { values: values as FlagValues<T>, positionals, help, given: given as Set<keyof T & string> };
  if (configFile !== undefined) {
    configFile = resolve(cwd, configFile);
    for (const [name, value] of Object.entries(readConfigFile(configFile, spec, byName))) {
      values[name] = value;
      given.add(name);
    }
  }
  for (const [name, text] of fromCommandLine) {
    values[name] = typeof text === 'boolean' ? text : fromText(name, spec.flags[name], text);
    given.add(name);
  }
  for (const name of given) checkExists(name, spec.flags[name], values[name], cwd);
  return { values: values as FlagValues<T>, positionals, help, given: given as Set<keyof T & string>, configFile };
}

/** A config file's flags, converted and checked; `path` values are resolved against its folder. */
function readConfigFile(path: string, spec: Pick<CommandSpec, 'name' | 'flags'>, byName: Map<string, string>): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the config file ${path}: ${messageOf(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `the config file ${path} is not valid JSON (${messageOf(error)}); expected an object whose keys are flag names, e.g. {"model": "JiT-B/16", "batch_size": 64}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      `the config file ${path} must hold a JSON object whose keys are flag names, found ${Array.isArray(parsed) ? 'an array' : typeof parsed}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const name = byName.get(canonical(key));
    if (!name) throw new UsageError(`${unknownFlag(`"${key}"`, spec)} (in the config file ${path})`);
    const flag = spec.flags[name];
    out[name] = resolveFlagPath(flag, fromJson(name, flag, value, path), dirname(path));
    checkExists(name, flag, out[name], dirname(path));
  }
  return out;
}

/** A `path` flag with `exists`: its file or folder must be there. */
function checkExists(name: string, flag: FlagSpec, value: unknown, base: string): void {
  if (!flag.exists || typeof value !== 'string' || flag.keywords?.includes(value)) return;
  const path = resolve(base, value);
  const kind = !existsSync(path) ? 'missing' : statSync(path).isDirectory() ? 'dir' : 'file';
  if (kind === flag.exists || (flag.exists === 'any' && kind !== 'missing')) return;
  const wanted = { file: 'a file', dir: 'a folder', any: 'a file or folder' }[flag.exists];
  const found = kind === 'missing' ? 'nothing is there' : `it is ${kind === 'dir' ? 'a folder' : 'a file'}`;
  const names = flag.keywords?.length ? ` (or one of ${flag.keywords.join(', ')})` : '';
  throw new UsageError(`--${name} ${value}: expected ${wanted}${names} — ${flag.description} — but ${found} (${path})`);
}

/**
 * The flags a JSON config file sets (as `--config` reads it: values converted and checked, paths
 * resolved against the file's folder); unknown keys and bad values throw a `UsageError`.
 */
export function readFlagsFile<T extends FlagTable>(spec: Pick<CommandSpec<T>, 'name' | 'flags'>, path: string): Partial<FlagValues<T>> {
  const byName = new Map(Object.keys(spec.flags).map((name) => [canonical(name), name]));
  return readConfigFile(path, spec, byName) as Partial<FlagValues<T>>;
}

/** A `path` flag's value resolved against `base` (other flags, and keywords, are returned as they are). */
export function resolveFlagPath(flag: FlagSpec, value: unknown, base: string): unknown {
  if (flag.type !== 'path' || typeof value !== 'string' || flag.keywords?.includes(value)) return value;
  return resolve(base, value);
}

function fromText(name: string, flag: FlagSpec, text: string): unknown {
  return checkValue(name, flag, parseText(name, flag, text), text);
}

function parseText(name: string, flag: FlagSpec, text: string): unknown {
  switch (flag.type) {
    case 'number':
    case 'integer':
      return toNumber(name, flag, text, text);
    case 'list':
      return checkChoices(name, flag, splitList(text));
    case 'numbers':
      return splitList(text).map((item) => toNumber(name, flag, item, text));
    case 'json':
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new UsageError(`--${name} expects JSON (e.g. --${name} '{"depth": 2}'), got ${text}: ${messageOf(error)}`);
      }
    default:
      return checkChoices(name, flag, text);
  }
}

/** Ranges, counts and the flag's own check: a wrong value throws a UsageError saying what the flag accepts. */
function checkValue(name: string, flag: FlagSpec, value: unknown, shown: string): unknown {
  const range = rangeText(flag);
  if (flag.type === 'numbers' && Array.isArray(value)) {
    if ((flag.count !== undefined && value.length !== flag.count) || value.some((item) => !inRange(flag, item as number))) {
      throw new UsageError(
        `--${name} takes ${flag.count ?? ''}${flag.count ? ' ' : ''}comma-separated numbers${range ? `, each ${range}` : ''} (${flag.description}), got ${shown}`,
      );
    }
  } else if (typeof value === 'number' && !inRange(flag, value)) {
    throw new UsageError(`--${name} must be ${flag.type === 'integer' ? 'a whole number' : 'a number'} ${range} (${flag.description}), got ${shown}`);
  }
  const problem = flag.check?.(value);
  if (problem) throw new UsageError(`--${name} ${problem}`);
  return value;
}

function inRange(flag: FlagSpec, value: number): boolean {
  return !(
    (flag.min !== undefined && value < flag.min) ||
    (flag.max !== undefined && value > flag.max) ||
    (flag.above !== undefined && value <= flag.above) ||
    (flag.below !== undefined && value >= flag.below)
  );
}

/** `≥ 1`, `> 0`, `in [0, 1)`; empty without bounds. */
export function rangeText(flag: FlagSpec): string {
  const low = flag.min !== undefined ? (['[', flag.min, '≥'] as const) : flag.above !== undefined ? (['(', flag.above, '>'] as const) : undefined;
  const high = flag.max !== undefined ? ([']', flag.max, '≤'] as const) : flag.below !== undefined ? ([')', flag.below, '<'] as const) : undefined;
  if (low && high) return `in ${low[0]}${low[1]}, ${high[1]}${high[0]}`;
  if (low) return `${low[2]} ${low[1]}`;
  if (high) return `${high[2]} ${high[1]}`;
  return '';
}

function fromJson(name: string, flag: FlagSpec, value: unknown, where: string): unknown {
  const parsed = parseJson(name, flag, value, where);
  try {
    return flag.type === 'list' || flag.type === 'numbers' || flag.type === 'boolean' ? parsed : checkValue(name, flag, parsed, JSON.stringify(value));
  } catch (error) {
    throw new UsageError(`${messageOf(error)} (in ${where})`);
  }
}

function parseJson(name: string, flag: FlagSpec, value: unknown, where: string): unknown {
  const wrong = (expected: string) => new UsageError(`"${name}" in ${where} must be ${expected}, found ${JSON.stringify(value)}`);
  switch (flag.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('true or false');
      return value;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' && typeof value !== 'string') throw wrong('a number');
      return toNumber(name, flag, String(value), JSON.stringify(value));
    case 'list':
    case 'numbers': {
      if (typeof value === 'string' || typeof value === 'number') return fromText(name, flag, String(value));
      if (!Array.isArray(value)) throw wrong('a list');
      return fromText(name, flag, value.join(','));
    }
    case 'json':
      return value;
    default:
      if (typeof value !== 'string' && typeof value !== 'number') throw wrong('a string');
      return checkChoices(name, flag, String(value));
  }
}

function toNumber(name: string, flag: FlagSpec, text: string, whole: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} expects a number, got ${JSON.stringify(whole)}`);
  if (flag.type === 'integer' && !Number.isInteger(value)) throw new UsageError(`--${name} expects a whole number, got ${whole}`);
  return value;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function checkChoices<V extends string | string[]>(name: string, flag: FlagSpec, value: V): V {
  if (!flag.choices) return value;
  for (const item of (Array.isArray(value) ? value : [value]) as string[]) {
    if (!flag.choices.includes(item)) throw new UsageError(`--${name} must be one of ${flag.choices.join(', ')}; got "${item}"`);
  }
  return value;
}

function unknownFlag(written: string, spec: Pick<CommandSpec, 'name' | 'flags'>): string {
  const wanted = canonical(written.replace(/^--|"/g, '')).toLowerCase();
  const names = [...Object.keys(spec.flags), ...Object.keys(universal)];
  const close = names
    .map((name) => ({ name, distance: editDistance(canonical(name).toLowerCase(), wanted) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance)[0];
  return `unknown flag ${written} for "pixelrepa ${spec.name}"${close ? `; did you mean --${close.name}?` : ''}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The `--help` text of a command, from its table. */
export function helpText(spec: CommandSpec): string {
  const lines = [`pixelrepa ${spec.name} — ${spec.summary}`, '', `Usage: pixelrepa ${spec.name} ${spec.usage}`];
  if (spec.description) lines.push('', spec.description);
  const rows = (table: FlagTable) =>
    Object.entries(table).map(([name, flag]) => {
      const left = `  --${name}${flag.type === 'boolean' ? '' : ` <${flag.value ?? flag.type}>`}`;
      const notes = [
        flag.choices ? `one of ${flag.choices.join(', ')}` : undefined,
        rangeText(flag) || undefined,
        flag.default !== undefined && flag.default !== false
          ? `default ${Array.isArray(flag.default) ? flag.default.join(',') : String(flag.default)}`
          : undefined,
      ].filter(Boolean);
      return [left, notes.length ? `${flag.description} (${notes.join('; ')})` : flag.description] as const;
    });
  const all = [...rows(spec.flags), ...rows(universal)];
  const width = Math.min(36, Math.max(...all.map(([left]) => left.length)) + 2);
  const format = ([left, right]: readonly [string, string]) =>
    left.length + 2 > width ? `${left}\n${' '.repeat(width)}${right}` : `${left.padEnd(width)}${right}`;
  if (spec.positionals?.length) {
    lines.push('', 'Arguments:', ...spec.positionals.map(({ name, description }) => format([`  ${name}`, description])));
  }
  const groups = new Map<string, FlagTable>();
  for (const [name, flag] of Object.entries(spec.flags)) {
    const group = flag.group ?? 'Flags';
    groups.set(group, { ...groups.get(group), [name]: flag });
  }
  for (const [group, table] of groups) lines.push('', `${group}:`, ...rows(table).map(format));
  lines.push('', 'Common:', ...rows(universal).map(format));
  if (spec.examples.length) lines.push('', 'Examples:', ...spec.examples.map((example) => `  ${example}`));
  return `${lines.join('\n')}\n`;
}
