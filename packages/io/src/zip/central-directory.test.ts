import { describe, expect, it } from 'vitest';
import { bytesSource } from '../byte-source.js';
import { FormatError } from '../errors.js';
import { buildZip } from '../test-support/zip-builder.js';
import { readZipDirectory } from './central-directory.js';
import { readZipEntry } from './entry-data.js';
import { writeStoredZip } from './write-stored.js';

const files = [
  { name: 'top/data.pkl', data: new TextEncoder().encode('pickle bytes') },
  { name: 'top/data/0', data: Uint8Array.from({ length: 300 }, (_, i) => i % 251) },
  { name: 'top/version', data: new TextEncoder().encode('3\n') },
];

describe('zip reading', () => {
  it.each([
    ['stored', writeStoredZip(files, 'test')],
    ['deflated', buildZip(files, { deflate: true })],
    ['zip64', buildZip(files, { zip64: true })],
    ['zip64 + deflated + 64-byte aligned', buildZip(files, { zip64: true, deflate: true, align: 64 })],
  ])('lists and reads every entry of a %s archive', (_, archive) => {
    const source = bytesSource(archive);
    const directory = readZipDirectory(source, 'test');
    expect(directory.entries.map((e) => e.name)).toEqual(files.map((f) => f.name));
    for (const file of files) {
      expect(readZipEntry(source, directory.byName.get(file.name)!, 'test', { verifyCrc: true })).toEqual(file.data);
    }
  });

  it('finds the end record behind a comment', () => {
    const archive = writeStoredZip(files, 'test');
    const comment = new TextEncoder().encode('a comment');
    const withComment = new Uint8Array(archive.length + comment.length);
    withComment.set(archive);
    withComment.set(comment, archive.length);
    new DataView(withComment.buffer).setUint16(archive.length - 2, comment.length, true);
    expect(readZipDirectory(bytesSource(withComment), 'test').entries).toHaveLength(3);
  });

  it('refuses entries whose data would run into the next entry', () => {
    const archive = writeStoredZip(files, 'test');
    const source = bytesSource(archive);
    const directory = readZipDirectory(source, 'test');
    const entry = { ...directory.byName.get('top/data/0')! };
    entry.compressedSize = entry.uncompressedSize = 10_000;
    expect(() => readZipEntry(source, entry, 'test')).toThrow(/runs into the next entry/);
  });

  it('says what is wrong with a file that is not a zip', () => {
    expect(() => readZipDirectory(bytesSource(new Uint8Array(100)), 'test')).toThrow(FormatError);
    expect(() => readZipDirectory(bytesSource(new Uint8Array(100)), 'test')).toThrow(/not a zip archive/);
  });

  it('detects corrupted data through the CRC', () => {
    const archive = writeStoredZip(files, 'test').slice();
    archive[45] ^= 0xff; // inside the data of top/data.pkl, which starts at 30 + 12
    const source = bytesSource(archive);
    const entry = readZipDirectory(source, 'test').byName.get('top/data.pkl')!;
    expect(() => readZipEntry(source, entry, 'test', { verifyCrc: true })).toThrow(/CRC-32/);
  });
});
