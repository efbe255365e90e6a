// Test-only: writes small pickle programs opcode by opcode, to build torch.save pickles with
// features the fixture lacks (untyped storages, parameters, dtypes, hostile views).
export class PickleBuilder {
  private readonly bytes: number[] = [0x80, 0x02]; // PROTO 2

  private op(code: string | number, ...operand: number[]): this {
    this.bytes.push(typeof code === 'number' ? code : code.charCodeAt(0), ...operand);
    return this;
  }

  mark = () => this.op('(');
  tuple = () => this.op('t');
  emptyTuple = () => this.op(')');
  emptyDict = () => this.op('}');
  setItems = () => this.op('u');
  reduce = () => this.op('R');
  persistentId = () => this.op('Q');
  none = () => this.op('N');
  bool = (value: boolean) => this.op(value ? 0x88 : 0x89);

  int(value: number): this {
    const operand = [0, 8, 16, 24].map((shift) => (value >>> shift) & 0xff);
    return this.op('J', ...operand);
  }

  string(text: string): this {
    const utf8 = [...new TextEncoder().encode(text)];
    return this.op('X', utf8.length & 0xff, (utf8.length >> 8) & 0xff, 0, 0, ...utf8);
  }

  global(module: string, name: string): this {
    return this.op('c', ...new TextEncoder().encode(`${module}\n${name}\n`));
  }

  /** A tuple of ints, e.g. a size or stride. */
  ints(values: number[]): this {
    this.mark();
    for (const v of values) this.int(v);
    return this.tuple();
  }

  /** The persistent id torch.save writes for a storage, as a BINPERSID. */
  storage(type: string, key: string, size: number): this {
    return this.mark().string('storage').global('torch', type).string(key).string('cpu').int(size).tuple().persistentId();
  }

  /** `_rebuild_tensor_v2(<storage pushed by body>, offset, size, stride, False, OrderedDict())`. */
  tensor(pushStorage: (b: this) => void, offset: number, size: number[], stride: number[]): this {
    this.global('torch._utils', '_rebuild_tensor_v2').mark();
    pushStorage(this);
    this.int(offset).ints(size).ints(stride).bool(false).global('collections', 'OrderedDict').emptyTuple().reduce();
    return this.tuple().reduce();
  }

  build(): Uint8Array {
    return Uint8Array.from([...this.bytes, 0x2e]); // STOP
  }
}
