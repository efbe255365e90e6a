import { FormatError } from '../errors.js';

/**
 * A Python callable or class that a pickle names (GLOBAL / STACK_GLOBAL), as this package
 * implements it in plain TypeScript. Only names on an allow-list resolve to one; nothing a
 * pickle names is ever imported or run, so a pickle can build data but cannot act.
 */
export interface PickleGlobal {
  readonly module: string;
  readonly name: string;
  /** REDUCE: `callable(*args)`. */
  call?(args: unknown[]): unknown;
  /** NEWOBJ / NEWOBJ_EX: `cls.__new__(cls, *args, **kwargs)`. */
  construct?(args: unknown[], kwargs: Map<unknown, unknown>): unknown;
}

/** Looks up `module.name`; undefined means "not allowed". */
export type GlobalResolver = (module: string, name: string) => PickleGlobal | undefined;

/**
 * An instance of an allowed Python class that keeps its attributes (`argparse.Namespace`):
 * BUILD fills `attributes` from the pickled `__dict__`.
 */
export class PickledObject {
  readonly attributes = new Map<string, unknown>();
  constructor(readonly className: string) {}

  setState(state: unknown, format: string): void {
    if (!(state instanceof Map)) throw new FormatError(format, `state of ${this.className} is not a dict`);
    for (const [key, value] of state) {
      if (typeof key !== 'string') throw new FormatError(format, `attribute name of ${this.className} is not a string`);
      this.attributes.set(key, value);
    }
  }
}

/** Python data classes every restricted reader accepts: ordered dicts, namespaces, sets, bytes. */
export function pythonGlobals(format: string): Map<string, PickleGlobal> {
  const globals: PickleGlobal[] = [
    {
      module: 'collections',
      name: 'OrderedDict',
      // A dict keeps insertion order in both Python and JS, so an OrderedDict is just a Map.
      call: (args) => dictFrom(args, format),
      construct: (args) => dictFrom(args, format),
    },
    {
      module: 'argparse',
      name: 'Namespace',
      call: () => new PickledObject('argparse.Namespace'),
      construct: () => new PickledObject('argparse.Namespace'),
    },
    ...['builtins', '__builtin__'].flatMap((module) =>
      ['set', 'frozenset'].map((name) => ({
        module,
        name,
        call: (args: unknown[]) => new Set(args.length > 0 ? iterableItems(args[0], format) : []),
      })),
    ),
    {
      // Protocol 2 pickles bytes as _codecs.encode(text, 'latin1').
      module: '_codecs',
      name: 'encode',
      call: (args) => encodeText(args, format),
    },
  ];
  return new Map(globals.map((g) => [`${g.module}.${g.name}`, g]));
}

function dictFrom(args: unknown[], format: string): Map<unknown, unknown> {
  const dict = new Map<unknown, unknown>();
  if (args.length === 0) return dict;
  if (args[0] instanceof Map) return new Map(args[0]);
  for (const pair of iterableItems(args[0], format)) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new FormatError(format, 'OrderedDict argument is not a list of (key, value) pairs');
    dict.set(pair[0], pair[1]);
  }
  return dict;
}

function iterableItems(value: unknown, format: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  throw new FormatError(format, 'expected a list or tuple argument');
}

function encodeText(args: unknown[], format: string): Uint8Array {
  const [text, encoding = 'utf-8'] = args;
  if (typeof text !== 'string' || typeof encoding !== 'string') throw new FormatError(format, '_codecs.encode expects (str, encoding)');
  if (/^(latin-?1|iso-?8859-?1)$/i.test(encoding)) {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0xff) throw new FormatError(format, `character U+${code.toString(16)} cannot be latin-1 encoded`);
      bytes[i] = code;
    }
    return bytes;
  }
  if (/^utf-?8$/i.test(encoding)) return new TextEncoder().encode(text);
  throw new FormatError(format, `_codecs.encode with encoding "${encoding}" is not supported`);
}
