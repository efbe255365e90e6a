import { copyBytes } from '../byte-source.js';
import { FormatError } from '../errors.js';
import { PickleCursor } from './cursor.js';
import { PickledObject, type GlobalResolver, type PickleGlobal } from './globals.js';
import { HIGHEST_PROTOCOL, Op, opcodeName } from './opcodes.js';

export interface UnpickleOptions {
  /** Resolves GLOBAL / STACK_GLOBAL names; undefined refuses the name (the allow-list). */
  findGlobal: GlobalResolver;
  /** Resolves persistent ids (PyTorch uses them for tensor storages). */
  persistentLoad?: (id: unknown) => unknown;
  /** Format name for errors, e.g. "pth". */
  format: string;
  /** Where the pickle lives, for errors, e.g. `zip entry "archive/data.pkl"`. */
  where?: string;
}

/** Longest LONG4 integer accepted: real pickles never come close, and huge ones cost quadratic time. */
const MAX_LONG_BYTES = 1024;

/**
 * Runs a pickle program (protocols 0–5, binary opcodes) as a data-only virtual machine.
 * Python values map to: None → null, bool → boolean, int → number (bigint beyond 2^53),
 * float → number, str → string, bytes → Uint8Array, list/tuple → array, dict → Map,
 * set → Set; classes and functions come only from `findGlobal`, so a pickle that names
 * anything else (`os.system`, `builtins.eval`, …) is refused before anything is called.
 * Memory is linear in the pickle: each opcode adds at most one stack or memo entry.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): unknown {
  return new Unpickler(bytes, options).run();
}

class Unpickler {
  private readonly cursor: PickleCursor;
  private stack: unknown[] = [];
  /** Stacks saved by MARK (as CPython's unpickler does): popMark restores the previous one. */
  private readonly metastack: unknown[][] = [];
  private readonly memo = new Map<number, unknown>();
  /** Globals handed out by findGlobal: only these can be called by REDUCE / NEWOBJ. */
  private readonly globals = new WeakSet<PickleGlobal>();
  private opcodeStart = 0;

  constructor(
    bytes: Uint8Array,
    private readonly options: UnpickleOptions,
  ) {
    this.cursor = new PickleCursor(bytes, options.format, options.where ?? 'pickle');
  }

  private fail(message: string): never {
    this.cursor.fail(message, this.opcodeStart);
  }

  private pop(): unknown {
    if (this.stack.length === 0) this.fail(`opcode ${opcodeName(this.cursor.bytes[this.opcodeStart])} found an empty stack`);
    return this.stack.pop();
  }

  private top(): unknown {
    if (this.stack.length === 0) this.fail(`opcode ${opcodeName(this.cursor.bytes[this.opcodeStart])} found an empty stack`);
    return this.stack[this.stack.length - 1];
  }

  /** Pops everything above the last MARK. Assign the result before touching `this.stack` again. */
  private popMark(): unknown[] {
    const items = this.stack;
    const previous = this.metastack.pop();
    if (!previous) this.fail(`opcode ${opcodeName(this.cursor.bytes[this.opcodeStart])} has no MARK before it`);
    this.stack = previous;
    return items;
  }

  run(): unknown {
    const c = this.cursor;
    while (!c.atEnd) {
      this.opcodeStart = c.position;
      const code = c.uint8();
      switch (code) {
        case Op.PROTO: {
          const protocol = c.uint8();
          if (protocol > HIGHEST_PROTOCOL) this.fail(`pickle protocol ${protocol} is newer than the highest supported (${HIGHEST_PROTOCOL})`);
          break;
        }
        case Op.FRAME:
          c.uint64Length();
          break; // frames only batch reads; the data follows inline
        case Op.STOP: {
          if (this.stack.length !== 1 || this.metastack.length > 0)
            this.fail(`STOP with ${this.stack.length} values on the stack and ${this.metastack.length} open MARKs`);
          return this.stack[0];
        }
        case Op.MARK:
          this.metastack.push(this.stack);
          this.stack = [];
          break;
        case Op.POP: // with an empty stack, POP discards the MARK itself (as CPython does)
          if (this.stack.length > 0) this.stack.pop();
          else this.popMark();
          break;
        case Op.POP_MARK:
          this.popMark();
          break;
        case Op.DUP:
          this.stack.push(this.top());
          break;

        case Op.NONE:
          this.stack.push(null);
          break;
        case Op.NEWTRUE:
          this.stack.push(true);
          break;
        case Op.NEWFALSE:
          this.stack.push(false);
          break;
        case Op.BININT:
          this.stack.push(c.int32());
          break;
        case Op.BININT1:
          this.stack.push(c.uint8());
          break;
        case Op.BININT2:
          this.stack.push(c.uint16());
          break;
        case Op.LONG1:
          this.stack.push(c.signedLittleEndian(c.uint8()));
          break;
        case Op.LONG4: {
          const length = c.int32();
          if (length < 0 || length > MAX_LONG_BYTES) this.fail(`LONG4 of ${length} bytes (at most ${MAX_LONG_BYTES} supported)`);
          this.stack.push(c.signedLittleEndian(length));
          break;
        }
        case Op.INT:
          this.stack.push(c.textInteger('INT'));
          break;
        case Op.LONG:
          this.stack.push(c.textInteger('LONG'));
          break;
        case Op.FLOAT:
          this.stack.push(c.textFloat());
          break;
        case Op.BINFLOAT:
          this.stack.push(c.float64BigEndian());
          break;

        case Op.BINUNICODE:
          this.stack.push(c.utf8(c.uint32(), 'BINUNICODE'));
          break;
        case Op.SHORT_BINUNICODE:
          this.stack.push(c.utf8(c.uint8(), 'SHORT_BINUNICODE'));
          break;
        case Op.BINUNICODE8:
          this.stack.push(c.utf8(c.uint64Length(), 'BINUNICODE8'));
          break;
        // Python 2 str: bytes of unknown encoding, read as latin-1 (every byte maps to one character).
        case Op.BINSTRING: {
          const length = c.int32();
          if (length < 0) this.fail(`BINSTRING with negative length ${length}`);
          this.stack.push(c.latin1(length, 'BINSTRING'));
          break;
        }
        case Op.SHORT_BINSTRING:
          this.stack.push(c.latin1(c.uint8(), 'SHORT_BINSTRING'));
          break;
        case Op.BINBYTES:
          this.stack.push(copyBytes(c.bytesOf(c.uint32(), 'BINBYTES')));
          break;
        case Op.SHORT_BINBYTES:
          this.stack.push(copyBytes(c.bytesOf(c.uint8(), 'SHORT_BINBYTES')));
          break;
        case Op.BINBYTES8:
          this.stack.push(copyBytes(c.bytesOf(c.uint64Length(), 'BINBYTES8')));
          break;
        case Op.BYTEARRAY8:
          this.stack.push(copyBytes(c.bytesOf(c.uint64Length(), 'BYTEARRAY8')));
          break;

        case Op.EMPTY_LIST:
          this.stack.push([]);
          break;
        case Op.EMPTY_TUPLE:
          this.stack.push([]);
          break;
        case Op.EMPTY_DICT:
          this.stack.push(new Map());
          break;
        case Op.EMPTY_SET:
          this.stack.push(new Set());
          break;
        case Op.LIST:
        case Op.TUPLE: {
          const items = this.popMark();
          this.stack.push(items);
          break;
        }
        case Op.TUPLE1: {
          const a = this.pop();
          this.stack.push([a]);
          break;
        }
        case Op.TUPLE2: {
          const b = this.pop();
          const a = this.pop();
          this.stack.push([a, b]);
          break;
        }
        case Op.TUPLE3: {
          const c3 = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.stack.push([a, b, c3]);
          break;
        }
        case Op.DICT: {
          const dict = new Map();
          this.setItems(dict, this.popMark());
          this.stack.push(dict);
          break;
        }
        case Op.FROZENSET: {
          const items = this.popMark();
          this.stack.push(new Set(items));
          break;
        }
        case Op.APPEND: {
          const value = this.pop();
          this.appendAll(this.top(), [value]);
          break;
        }
        case Op.APPENDS: {
          const items = this.popMark();
          this.appendAll(this.top(), items);
          break;
        }
        case Op.SETITEM: {
          const value = this.pop();
          const key = this.pop();
          this.setItems(this.top(), [key, value]);
          break;
        }
        case Op.SETITEMS: {
          const items = this.popMark();
          this.setItems(this.top(), items);
          break;
        }
        case Op.ADDITEMS: {
          const items = this.popMark();
          const set = this.top();
          if (!(set instanceof Set)) this.fail('ADDITEMS on something that is not a set');
          for (const item of items) set.add(item);
          break;
        }

        case Op.BINPUT:
          this.memo.set(c.uint8(), this.top());
          break;
        case Op.LONG_BINPUT:
          this.memo.set(c.uint32(), this.top());
          break;
        case Op.PUT:
          this.memo.set(c.textIndex('PUT'), this.top());
          break;
        case Op.MEMOIZE:
          this.memo.set(this.memo.size, this.top());
          break;
        case Op.BINGET:
          this.stack.push(this.memoGet(c.uint8()));
          break;
        case Op.LONG_BINGET:
          this.stack.push(this.memoGet(c.uint32()));
          break;
        case Op.GET:
          this.stack.push(this.memoGet(c.textIndex('GET')));
          break;

        case Op.GLOBAL: {
          const module = c.line('GLOBAL module');
          const name = c.line('GLOBAL name');
          this.stack.push(this.resolveGlobal(module, name));
          break;
        }
        case Op.STACK_GLOBAL: {
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL expects two strings');
          this.stack.push(this.resolveGlobal(module, name));
          break;
        }
        case Op.REDUCE: {
          const args = this.pop();
          const callable = this.pop();
          this.stack.push(this.callGlobal(callable, args));
          break;
        }
        case Op.NEWOBJ: {
          const args = this.pop();
          const cls = this.pop();
          this.stack.push(this.construct(cls, args, new Map()));
          break;
        }
        case Op.NEWOBJ_EX: {
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!(kwargs instanceof Map)) this.fail('NEWOBJ_EX keyword arguments are not a dict');
          this.stack.push(this.construct(cls, args, kwargs));
          break;
        }
        case Op.BUILD: {
          const state = this.pop();
          this.build(this.top(), state);
          break;
        }
        case Op.BINPERSID:
          this.stack.push(this.persistentLoad(this.pop()));
          break;
        case Op.PERSID:
          this.stack.push(this.persistentLoad(c.line('PERSID')));
          break;

        default:
          this.fail(`opcode 0x${code.toString(16).padStart(2, '0')} (${opcodeName(code)}) is not supported by this restricted unpickler`);
      }
    }
    this.fail('pickle ends without a STOP opcode (truncated?)');
  }

  private memoGet(index: number): unknown {
    if (!this.memo.has(index)) this.fail(`memo entry ${index} is read before it is written`);
    return this.memo.get(index);
  }

  private appendAll(list: unknown, items: unknown[]): void {
    if (!Array.isArray(list)) this.fail(`APPEND to ${describe(list)}, not a list`);
    for (const item of items) list.push(item); // a loop: spreading 100k items overflows the call stack
  }

  private setItems(dict: unknown, items: unknown[]): void {
    if (!(dict instanceof Map)) this.fail(`SETITEM on ${describe(dict)}, not a dict`);
    if (items.length % 2 !== 0) this.fail(`SETITEMS with an odd number (${items.length}) of keys and values`);
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  }

  private resolveGlobal(module: string, name: string): PickleGlobal {
    const resolved = this.options.findGlobal(module, name);
    if (!resolved) {
      this.fail(
        `the pickle asks for the Python global ${module}.${name}, which is not on this reader's allow-list; ` +
          'refusing to load it (nothing was imported or run). Only plain data, tensors, OrderedDict and argparse.Namespace are allowed',
      );
    }
    this.globals.add(resolved);
    return resolved;
  }

  private isGlobal(value: unknown): value is PickleGlobal {
    return typeof value === 'object' && value !== null && this.globals.has(value as PickleGlobal);
  }

  private callGlobal(callable: unknown, args: unknown): unknown {
    if (!this.isGlobal(callable) || !callable.call) this.fail(`REDUCE calls ${describe(callable)}, which is not callable here`);
    if (!Array.isArray(args)) this.fail(`REDUCE arguments for ${callable.module}.${callable.name} are not a tuple`);
    return this.withPosition(() => callable.call!(args));
  }

  private construct(cls: unknown, args: unknown, kwargs: Map<unknown, unknown>): unknown {
    if (!this.isGlobal(cls) || !cls.construct) this.fail(`NEWOBJ creates ${describe(cls)}, which cannot be constructed here`);
    if (!Array.isArray(args)) this.fail(`NEWOBJ arguments for ${cls.module}.${cls.name} are not a tuple`);
    return this.withPosition(() => cls.construct!(args, kwargs));
  }

  private build(target: unknown, state: unknown): void {
    if (target instanceof PickledObject) {
      this.withPosition(() => target.setState(state, this.options.format));
    } else if (target instanceof Map) {
      // A dict subclass with instance attributes (a state_dict's `_metadata`): the attributes
      // are not items, so they are dropped rather than mixed into the keys.
    } else if (!hasSetState(target)) {
      this.fail(`BUILD on ${describe(target)}, which takes no state`);
    } else {
      this.withPosition(() => target.setState(state, this.options.format));
    }
  }

  private persistentLoad(id: unknown): unknown {
    if (!this.options.persistentLoad) this.fail('pickle uses a persistent id, but this reader expects none');
    return this.withPosition(() => this.options.persistentLoad!(id));
  }

  /** Errors raised by globals get the opcode's position added, so people can find the spot. */
  private withPosition<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (error instanceof FormatError && !error.where) this.fail(error.reason);
      throw error;
    }
  }
}

interface HasSetState {
  setState(state: unknown, format: string): void;
}

function hasSetState(value: unknown): value is HasSetState {
  return typeof value === 'object' && value !== null && typeof (value as HasSetState).setState === 'function';
}

/** A short description of a pickle value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'a list/tuple';
  if (value instanceof Map) return 'a dict';
  if (value instanceof Set) return 'a set';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object' && 'module' in value && 'name' in value) return `${String(value.module)}.${String(value.name)}`;
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}
