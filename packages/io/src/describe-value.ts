/**
 * Bounded printing of values read from hostile files, for error messages and names.
 *
 * A pickle can make lists that reference each other through its memo (a DAG): 30 levels of
 * "a list holding the previous list twice" is 2^30 leaves in a few hundred bytes, and
 * `String(value)` or `JSON.stringify(value)` would expand all of them (minutes, gigabytes,
 * then `RangeError`). Deep nesting overflows the call stack of both. This printer looks at
 * most `MAX_DEPTH` levels deep and `MAX_ITEMS` items wide, so its work and output are
 * bounded by a constant whatever the value is.
 */
const MAX_DEPTH = 3;
const MAX_ITEMS = 6;
const MAX_STRING = 40;
const MAX_CHARS = 120;

export function describeValue(value: unknown): string {
  const text = print(value, 0);
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}

/** A key or name as text: primitives as themselves (cut at 200 characters), anything else described. */
export function nameOf(value: unknown): string {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 199)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return shorten(String(value));
  return describeValue(value);
}

function print(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return shorten(String(value));
  if (typeof value !== 'object') return typeof value;
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  if (Array.isArray(value)) return sequence('[', ']', value.length, value, depth, (item) => print(item, depth + 1));
  if (value instanceof Set) return sequence('{', '}', value.size, value, depth, (item) => print(item, depth + 1));
  if (value instanceof Map) {
    return sequence('{', '}', value.size, value, depth, ([key, item]: [unknown, unknown]) => `${print(key, depth + 1)}: ${print(item, depth + 1)}`);
  }
  if ('module' in value && 'name' in value && typeof value.module === 'string' && typeof value.name === 'string') {
    return `${shorten(value.module)}.${shorten(value.name)}`;
  }
  return `a ${(value as object).constructor?.name ?? 'object'}`;
}

/** At most MAX_ITEMS items, taken from the iterator one by one (never spread: a list may hold millions). */
function sequence<T>(open: string, close: string, size: number, items: Iterable<T>, depth: number, printItem: (item: T) => string): string {
  if (size === 0) return `${open}${close}`;
  if (depth >= MAX_DEPTH) return `${open}… ${size} item${size === 1 ? '' : 's'}${close}`;
  const parts: string[] = [];
  for (const item of items) {
    if (parts.length === MAX_ITEMS) break;
    parts.push(printItem(item));
  }
  if (size > MAX_ITEMS) parts.push(`… ${size - MAX_ITEMS} more`);
  return `${open}${parts.join(', ')}${close}`;
}

function shorten(text: string): string {
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
}
