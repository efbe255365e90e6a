import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../byte-source.js';
import { FormatError } from '../errors.js';

/** A ByteSource over an open file, plus `close()`. */
export interface FileSource extends ByteSource {
  close(): void;
}

/** fs.readSync reads at most 2 GiB − 1 per call. */
const MAX_READ = 0x7fff_f000;

/**
 * Opens `path` for random-access reads: only the ranges a reader asks for are read, so
 * a 20 GB checkpoint can be inspected or partially loaded. Close it when done.
 */
export function openFileSource(path: string): FileSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const out = new Uint8Array(length);
      for (let done = 0; done < length;) {
        const count = readSync(fd, out, done, Math.min(MAX_READ, length - done), offset + done);
        if (count === 0) return out.subarray(0, done); // the file shrank; readRange reports it
        done += count;
      }
      return out;
    },
    readInto(offset, target) {
      for (let done = 0; done < target.length;) {
        const count = readSync(fd, target, done, Math.min(MAX_READ, target.length - done), offset + done);
        if (count === 0) throw new FormatError('file', `read ${done} of ${target.length} bytes at byte ${offset}: the file shrank while reading`, path);
        done += count;
      }
    },
    close: () => closeSync(fd),
  };
}

/** Runs `body` with an open FileSource and closes it afterwards, also on errors. */
export function withFileSource<T>(path: string, body: (source: FileSource) => T): T {
  const source = openFileSource(path);
  try {
    return body(source);
  } finally {
    source.close();
  }
}
