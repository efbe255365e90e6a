import { FormatError } from '../errors.js';

const utf8 = new TextDecoder('utf-8');

/**
 * Reads the operands of pickle opcodes; every read is checked against the end of the
 * pickle, so a corrupt length becomes a FormatError naming the byte, not a huge read.
 */
export class PickleCursor {
  position = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly format: string,
    private readonly where: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get atEnd(): boolean {
    return this.position >= this.bytes.length;
  }

  fail(message: string, at = this.position): never {
    throw new FormatError(this.format, message, `${this.where} byte ${at}`);
  }

  private take(count: number, what: string): number {
    if (count > this.bytes.length - this.position) {
      this.fail(`${what} needs ${count} bytes but the pickle has ${this.bytes.length - this.position} left (truncated?)`);
    }
    const start = this.position;
    this.position += count;
    return start;
  }

  uint8(): number {
    return this.bytes[this.take(1, 'a 1-byte operand')];
  }

  uint16(): number {
    return this.view.getUint16(this.take(2, 'a 2-byte operand'), true);
  }

  int32(): number {
    return this.view.getInt32(this.take(4, 'a 4-byte operand'), true);
  }

  uint32(): number {
    return this.view.getUint32(this.take(4, 'a 4-byte operand'), true);
  }

  /** An 8-byte length; anything past the end of the pickle is refused before it becomes a number. */
  uint64Length(): number {
    const value = this.view.getBigUint64(this.take(8, 'an 8-byte length'), true);
    if (value > BigInt(this.bytes.length)) this.fail(`length ${value} is larger than the whole ${this.bytes.length}-byte pickle`);
    return Number(value);
  }

  float64BigEndian(): number {
    return this.view.getFloat64(this.take(8, 'an 8-byte float'), false);
  }

  bytesOf(count: number, what: string): Uint8Array {
    const start = this.take(count, what);
    return this.bytes.subarray(start, start + count);
  }

  utf8(count: number, what: string): string {
    return utf8.decode(this.bytesOf(count, what));
  }

  latin1(count: number, what: string): string {
    const bytes = this.bytesOf(count, what);
    let text = '';
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return text;
  }

  /** A newline-terminated ASCII line (text opcodes), without the newline. */
  line(what: string): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0) this.fail(`${what} has no terminating newline (truncated?)`);
    const text = this.latin1(end - this.position, what);
    this.position = end + 1;
    return text;
  }

  /** INT / LONG operand: a decimal line ("00"/"01" are protocol 0's False/True, LONG ends in "L"). */
  textInteger(opcode: string): number | bigint | boolean {
    const start = this.position;
    const text = this.line(opcode).replace(/L$/, '');
    if (opcode === 'INT' && text === '00') return false;
    if (opcode === 'INT' && text === '01') return true;
    if (!/^[+-]?\d{1,400}$/.test(text)) this.fail(`${opcode} operand "${text.slice(0, 40)}" is not an integer`, start);
    return toNumberIfSafe(BigInt(text));
  }

  /** FLOAT operand: a decimal line as Python's repr writes it. */
  textFloat(): number {
    const start = this.position;
    const text = this.line('FLOAT');
    const value = Number(text);
    if (text.trim() === '' || (Number.isNaN(value) && !/^[+-]?nan$/i.test(text))) this.fail(`FLOAT operand "${text.slice(0, 40)}" is not a number`, start);
    return value;
  }

  /** PUT / GET operand: a decimal memo index. */
  textIndex(opcode: string): number {
    const start = this.position;
    const text = this.line(opcode);
    if (!/^\d{1,10}$/.test(text)) this.fail(`${opcode} memo index "${text.slice(0, 40)}" is not a number`, start);
    return Number(text);
  }

  /** A little-endian two's-complement integer of `count` bytes (LONG1 / LONG4). */
  signedLittleEndian(count: number): number | bigint {
    const bytes = this.bytesOf(count, 'a long integer');
    if (count === 0) return 0;
    let value = 0n;
    for (let i = count - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
    if (bytes[count - 1] & 0x80) value -= 1n << BigInt(count * 8);
    return toNumberIfSafe(value);
  }
}

/** Python ints become numbers where exact, bigints otherwise. */
export function toNumberIfSafe(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
