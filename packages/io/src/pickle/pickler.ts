// A pickle (protocol 2) writer for plain data: the inverse of the restricted unpickler, emitting
// only the opcodes and globals that it — and torch.load(weights_only=True) — accepts.

/** A Python tuple (JS arrays pickle as lists). */
export class PythonTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A Python float even when the number is whole (JS numbers that are integers pickle as int). */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/** `collections.OrderedDict` (what `state_dict()` returns). */
export class PythonOrderedDict {
  constructor(readonly entries: ReadonlyMap<PickleValue, PickleValue>) {}
}

/** A global called with arguments: `module.name(*args)` (GLOBAL + args tuple + REDUCE). */
export class PythonCall {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly args: readonly PickleValue[],
  ) {}
}

/** A global as a value (`torch.FloatStorage`). */
export class PythonGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

/** A persistent id (BINPERSID): how torch.save refers to storages outside the pickle. */
export class PersistentId {
  constructor(readonly id: PickleValue) {}
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PythonTuple
  | PythonFloat
  | PythonOrderedDict
  | PythonCall
  | PythonGlobal
  | PersistentId
  | readonly PickleValue[]
  | ReadonlyMap<PickleValue, PickleValue>
  | { readonly [key: string]: PickleValue };

const op = {
  PROTO: 0x80,
  STOP: 0x2e,
  NONE: 0x4e,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT: 0x4a,
  LONG1: 0x8a,
  BINFLOAT: 0x47,
  BINUNICODE: 0x58,
  EMPTY_LIST: 0x5d,
  APPENDS: 0x65,
  EMPTY_DICT: 0x7d,
  SETITEMS: 0x75,
  MARK: 0x28,
  TUPLE: 0x74,
  EMPTY_TUPLE: 0x29,
  GLOBAL: 0x63,
  REDUCE: 0x52,
  BINPERSID: 0x51,
} as const;

/** Serialises `value` as a protocol-2 pickle. Objects are written as often as they occur (no memo). */
export function pickle(value: PickleValue): Uint8Array {
  const out = new ByteWriter();
  out.byte(op.PROTO, 2);
  write(out, value, 0);
  out.byte(op.STOP);
  return out.bytes();
}

function write(out: ByteWriter, value: PickleValue, depth: number): void {
  if (depth > 1000) throw new Error('pickle: values nested more than 1000 levels deep (a cycle?)');
  const next = (item: PickleValue) => write(out, item, depth + 1);
  if (value === null) out.byte(op.NONE);
  else if (value === true) out.byte(op.NEWTRUE);
  else if (value === false) out.byte(op.NEWFALSE);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) writeInt(out, BigInt(value));
    else writeFloat(out, value);
  } else if (typeof value === 'bigint') writeInt(out, value);
  else if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    out.byte(op.BINUNICODE);
    out.uint32(bytes.length);
    out.append(bytes);
  } else if (value instanceof PythonFloat) writeFloat(out, value.value);
  else if (value instanceof PythonTuple) {
    if (value.items.length === 0) out.byte(op.EMPTY_TUPLE);
    else {
      out.byte(op.MARK);
      value.items.forEach(next);
      out.byte(op.TUPLE);
    }
  } else if (value instanceof PythonGlobal) writeGlobal(out, value.module, value.name);
  else if (value instanceof PythonCall) {
    writeGlobal(out, value.module, value.name);
    next(new PythonTuple(value.args));
    out.byte(op.REDUCE);
  } else if (value instanceof PersistentId) {
    next(value.id);
    out.byte(op.BINPERSID);
  } else if (value instanceof PythonOrderedDict) {
    next(new PythonCall('collections', 'OrderedDict', []));
    writeItems(out, value.entries, next);
  } else if (Array.isArray(value)) {
    out.byte(op.EMPTY_LIST);
    if (value.length > 0) {
      out.byte(op.MARK);
      (value as readonly PickleValue[]).forEach(next);
      out.byte(op.APPENDS);
    }
  } else if (value instanceof Map) {
    out.byte(op.EMPTY_DICT);
    writeItems(out, value, next);
  } else if (typeof value === 'object') {
    out.byte(op.EMPTY_DICT);
    writeItems(out, new Map(Object.entries(value)), next);
  } else {
    throw new Error(`pickle: cannot write a ${typeof value}`);
  }
}

function writeItems(out: ByteWriter, entries: ReadonlyMap<PickleValue, PickleValue>, next: (item: PickleValue) => void): void {
  if (entries.size === 0) return;
  out.byte(op.MARK);
  for (const [key, item] of entries) {
    next(key);
    next(item);
  }
  out.byte(op.SETITEMS);
}

function writeGlobal(out: ByteWriter, module: string, name: string): void {
  if (/[\n\s]/.test(module + name)) throw new Error(`pickle: a global's module and name have no spaces or newlines, got "${module}.${name}"`);
  out.byte(op.GLOBAL);
  out.append(new TextEncoder().encode(`${module}\n${name}\n`));
}

function writeInt(out: ByteWriter, value: bigint): void {
  if (value >= -(2n ** 31n) && value < 2n ** 31n) {
    out.byte(op.BININT);
    out.uint32(Number(BigInt.asUintN(32, value)));
    return;
  }
  // LONG1: little-endian two's complement in as few bytes as hold the sign.
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.push(Number(BigInt.asUintN(8, rest)));
    rest >>= 8n;
  } while (!((rest === 0n && (bytes.at(-1)! & 0x80) === 0) || (rest === -1n && (bytes.at(-1)! & 0x80) !== 0)));
  out.byte(op.LONG1, bytes.length, ...bytes);
}

function writeFloat(out: ByteWriter, value: number): void {
  out.byte(op.BINFLOAT);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, false); // big-endian, as pickle stores BINFLOAT
  out.append(bytes);
}

class ByteWriter {
  private chunks: Uint8Array[] = [];
  private pending: number[] = [];

  byte(...values: number[]): void {
    this.pending.push(...values);
  }

  uint32(value: number): void {
    this.pending.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }

  append(bytes: Uint8Array): void {
    this.flush();
    this.chunks.push(bytes);
  }

  bytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }
}
