// Hostile pickles, each made here by a small generator: lists that share each other through
// the memo (a DAG of 2^32 leaves in a few hundred bytes) and chains nested 100 000 deep, placed
// where the reader prints or walks values: torch.device arguments, storage sizes, shapes, dict keys.
import { describe, expect, it } from 'vitest';
import { expectShortFormatError } from '../test-support/format-error.js';
import { buildZip } from '../test-support/zip-builder.js';
import { readTorchCheckpoint } from './checkpoint.js';
import { flattenTensors } from './flatten.js';

const text = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
/** SHORT_BINUNICODE of an ASCII string. */
const str = (s: string) => [0x8c, s.length, ...text(s)];

/** `levels` lists, each holding the previous one twice (through BINGET): 2^levels leaves when expanded. */
function sharedLists(levels: number): number[] {
  const ops = [0x5d, 0x71, 0]; // EMPTY_LIST, BINPUT 0
  for (let i = 0; i < levels; i++) ops.push(0x30, 0x28, 0x68, i, 0x68, i, 0x6c, 0x71, i + 1); // POP, MARK, BINGET i ×2, LIST, BINPUT i+1
  return ops;
}

/** A list inside a 1-tuple inside a 1-tuple … `levels` deep, one byte per level. */
function deepTuples(levels: number): number[] {
  return [0x5d, ...new Array<number>(levels).fill(0x85)]; // EMPTY_LIST, TUPLE1 × levels
}

/** A torch.save-shaped zip whose data.pkl is PROTO 2 + `ops` + STOP. */
function checkpoint(ops: number[]): Uint8Array {
  const pickle = Uint8Array.from([0x80, 0x02, ...ops, 0x2e]);
  return buildZip([{ name: 'archive/data.pkl', data: pickle }]);
}

const global = (module: string, name: string) => [0x63, ...text(`${module}\n${name}\n`)];
const tuple1 = 0x85;
const reduce = 0x52;

/** Places of a value `v` in a checkpoint where the reader used to print or walk it. */
const places: Array<[string, (v: number[]) => number[], RegExp]> = [
  ['a torch.device argument', (v) => [...global('torch', 'device'), ...v, tuple1, reduce], /torch\.device arguments/],
  [
    'a storage size',
    (v) => [0x28, ...str('storage'), ...global('torch', 'FloatStorage'), ...str('0'), ...str('cpu'), ...v, 0x74, 0x51],
    /storage "0" has size/,
  ],
  [
    'a tensor shape',
    (v) => [
      ...global('torch._utils', '_rebuild_tensor_v2'),
      0x28,
      0x28,
      ...str('storage'),
      ...global('torch', 'FloatStorage'),
      ...str('0'),
      ...str('cpu'),
      0x4b,
      4,
      0x74,
      0x51,
      0x4b,
      0,
      ...v,
      0x28,
      0x4b,
      1,
      0x74,
      0x89,
      ...global('collections', 'OrderedDict'),
      0x29,
      reduce,
      0x74,
      reduce,
    ],
    /size\/stride .* is not a tuple of non-negative integers/,
  ],
];

describe('readTorchCheckpoint on hostile pickles', () => {
  it('the shared-list file is a few hundred bytes (the one reported was 355)', () => {
    expect(checkpoint(places[0][1](sharedLists(32))).length).toBeLessThan(450);
  });

  it.each(places)('a DAG of 2^32 leaves as %s fails at once with a short FormatError', (_, place, message) => {
    expectShortFormatError(() => readTorchCheckpoint(checkpoint(place(sharedLists(32)))), message);
  });

  it.each(places)('nesting 100 000 deep as %s is a FormatError, not a stack overflow', (_, place, message) => {
    expectShortFormatError(() => readTorchCheckpoint(checkpoint(place(deepTuples(100_000)))), message);
  });

  it('a DAG as a dict key: select names the keys briefly; the whole read and flattenTensors finish', () => {
    const file = checkpoint([0x7d, ...sharedLists(32), 0x4b, 1, 0x73]); // EMPTY_DICT, key, BININT1 1, SETITEM
    expectShortFormatError(() => readTorchCheckpoint(file, { select: ['model'] }), /no top-level key "model" \(it has: \[\[\[/);
    const tree = readTorchCheckpoint(file);
    expect(tree.value).toBeInstanceOf(Map);
    expect(flattenTensors(tree).size).toBe(0);
  });

  it('values nested 100 000 deep are refused while converting, with the limit named', () => {
    expectShortFormatError(() => readTorchCheckpoint(checkpoint(deepTuples(100_000))), /nested more than 256 levels/);
    expectShortFormatError(() => readTorchCheckpoint(checkpoint([0x7d, ...deepTuples(100_000), 0x4b, 1, 0x73])), /nested more than 256 levels/);
  });

  it('still reads a DAG of shared lists as data, each list converted once', () => {
    const tree = readTorchCheckpoint(checkpoint([0x7d, ...str('x'), ...sharedLists(32), 0x73]));
    let list = tree.x as unknown[];
    for (let level = 0; level < 32; level++) {
      expect(list[0]).toBe(list[1]); // shared, not copied
      list = list[0] as unknown[];
    }
    expect(list).toEqual([]);
  });
});
