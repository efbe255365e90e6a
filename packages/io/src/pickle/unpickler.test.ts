import { describe, expect, it } from 'vitest';
import { FormatError } from '../errors.js';
import { hex } from '../test-support/bytes.js';
import { PickledObject, pythonGlobals } from './globals.js';
import { unpickle } from './unpickler.js';

// Pickles written by CPython 3 (pickle.dumps(obj, protocol=p)) of
// {'a': [1, 2**70, -5, 3.5, 'héllo', b'xy', (1, 2), None, True, False, -(2**40)], 'b': {1: 'one'}, 's': {3}}
const PICKLES: Record<number, string> = {
  2: '80027d71002858010000006171015d7102284b018a090000000000000000404afbffffff47400c000000000000580600000068c3a96c6c6f7103635f636f646563730a656e636f64650a710458020000007879710558060000006c6174696e3171068671075271084b014b028671094e88898a060000000000ff65580100000062710a7d710b4b0158030000006f6e65710c73580100000073710d635f5f6275696c74696e5f5f0a7365740a710e5d710f4b0361857110527111752e',
  3: '80037d71002858010000006171015d7102284b018a090000000000000000404afbffffff47400c000000000000580600000068c3a96c6c6f71034302787971044b014b028671054e88898a060000000000ff6558010000006271067d71074b0158030000006f6e657108735801000000737109636275696c74696e730a7365740a710a5d710b4b036185710c52710d752e',
  4: '80049560000000000000007d94288c0161945d94284b018a090000000000000000404afbffffff47400c0000000000008c0668c3a96c6c6f9443027879944b014b0286944e88898a060000000000ff658c0162947d944b018c036f6e6594738c0173948f94284b0390752e',
  5: '80059560000000000000007d94288c0161945d94284b018a090000000000000000404afbffffff47400c0000000000008c0668c3a96c6c6f9443027879944b014b0286944e88898a060000000000ff658c0162947d944b018c036f6e6594738c0173948f94284b0390752e',
};
// pickle.dumps(argparse.Namespace(model='JiT-B/16', cfg=3.1), protocol=4): STACK_GLOBAL, NEWOBJ, BUILD
const NAMESPACE =
  '80049544000000000000008c086172677061727365948c094e616d6573706163659493942981947d94288c056d6f64656c948c084a69542d422f3136948c0363666794474008cccccccccccd75622e';
// pickle.dumps(collections.OrderedDict([('x', 1), ('y', [2])]), protocol=2): GLOBAL, REDUCE, SETITEMS
const ORDERED_DICT = '800263636f6c6c656374696f6e730a4f726465726564446963740a7100295271012858010000007871024b0158010000007971035d71044b0261752e';

const python = pythonGlobals('test');
const options = { format: 'test', findGlobal: (module: string, name: string) => python.get(`${module}.${name}`) };

describe('unpickle', () => {
  it.each([2, 3, 4, 5])('reads plain Python data pickled with protocol %i', (protocol) => {
    const value = unpickle(hex(PICKLES[protocol]), options) as Map<string, unknown>;
    expect(value.get('a')).toEqual([1, 2n ** 70n, -5, 3.5, 'héllo', new Uint8Array([0x78, 0x79]), [1, 2], null, true, false, -(2 ** 40)]);
    expect(value.get('b')).toEqual(new Map([[1, 'one']]));
    expect(value.get('s')).toEqual(new Set([3]));
  });

  it('reads protocol 0 text opcodes (INT, LONG, FLOAT, PUT, GET)', () => {
    // pickle.dumps([1, 2.5, True, 2**70, None], protocol=0), then a GET of the memoized list
    const program = '(lp0\nI1\naF2.5\naI01\naL1180591620717411303424L\naNa0g0\n.';
    expect(
      unpickle(
        Uint8Array.from(program, (c) => c.charCodeAt(0)),
        options,
      ),
    ).toEqual([1, 2.5, true, 2n ** 70n, null]);
  });

  it('builds argparse.Namespace attributes through NEWOBJ and BUILD', () => {
    const value = unpickle(hex(NAMESPACE), options) as PickledObject;
    expect(value).toBeInstanceOf(PickledObject);
    expect(Object.fromEntries(value.attributes)).toEqual({ model: 'JiT-B/16', cfg: 3.1 });
  });

  it('reads collections.OrderedDict as an insertion-ordered Map', () => {
    expect([...(unpickle(hex(ORDERED_DICT), options) as Map<string, unknown>)]).toEqual([
      ['x', 1],
      ['y', [2]],
    ]);
  });

  it.each([
    ['GLOBAL', 'cposix\nsystem\n', 'posix.system'],
    ['GLOBAL', 'cbuiltins\neval\n', 'builtins.eval'],
    ['STACK_GLOBAL', '\x8c\x02os\x8c\x06system\x93', 'os.system'],
  ])('refuses a %s of a global outside the allow-list, naming it', (_, program, name) => {
    const bytes = Uint8Array.from(`\x80\x04${program}X\x02\x00\x00\x00id\x85R.`, (c) => c.charCodeAt(0));
    expect(() => unpickle(bytes, options)).toThrow(FormatError);
    expect(() => unpickle(bytes, options)).toThrow(new RegExp(`${name.replace('.', '\\.')}.*not on this reader's allow-list`));
  });

  it('refuses REDUCE on a value that is not an allowed callable', () => {
    const bytes = Uint8Array.from('\x80\x02}q\x00)R.', (c) => c.charCodeAt(0));
    expect(() => unpickle(bytes, options)).toThrow(/REDUCE calls a dict/);
  });

  it.each([
    ['no STOP', '\x80\x02K\x01', /without a STOP/],
    ['an unknown opcode', '\x80\x02\xff.', /opcode 0xff/],
    ['an extension-registry opcode', '\x80\x02\x82\x01.', /EXT1/],
    ['a string longer than the pickle', '\x80\x02X\xff\xff\x00\x00ab.', /needs 65535 bytes/],
    ['a memo read before write', '\x80\x02h\x05.', /memo entry 5/],
    ['an empty stack', '\x80\x02a.', /empty stack/],
    ['a missing MARK', '\x80\x02t.', /no MARK/],
    ['a newer protocol', '\x80\x09N.', /protocol 9/],
    ['a persistent id without a loader', '\x80\x02NQ.', /persistent id/],
  ])('reports %s as a FormatError with its position', (_, program, message) => {
    const bytes = Uint8Array.from(program, (c) => c.charCodeAt(0));
    expect(() => unpickle(bytes, options)).toThrow(FormatError);
    expect(() => unpickle(bytes, options)).toThrow(message);
  });

  it('handles a million-item APPENDS without overflowing the call stack', () => {
    const count = 1_000_000;
    const bytes = new Uint8Array(4 + count * 2 + 2);
    bytes.set([0x80, 0x02, 0x5d, 0x28]); // PROTO 2, EMPTY_LIST, MARK
    for (let i = 0; i < count; i++) bytes.set([0x4b, i & 0xff], 4 + i * 2); // BININT1
    bytes.set([0x65, 0x2e], 4 + count * 2); // APPENDS, STOP
    expect((unpickle(bytes, options) as number[]).length).toBe(count);
  });
});
