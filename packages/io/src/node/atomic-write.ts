import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The most bytes handed to one `fs.writeSync` (it refuses more than 2³¹ − 1). */
const WRITE_PIECE = 1 << 30;

/**
 * Writes `bytes` to `path` so that readers see either the old file or the complete new
 * one, never a half-written file: write a temporary file beside it, fsync, then rename
 * (atomic within a file system). A crash mid-save leaves at most a stray `.tmp-*` file.
 * Files over 2 GiB (a JiT-B/16 training checkpoint is ~2.9 GB) are written in pieces: one
 * `fs.writeSync` takes at most 2³¹ − 1 bytes.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const fd = openSync(temporary, 'w');
  try {
    try {
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, Math.min(bytes.length - done, WRITE_PIECE));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
