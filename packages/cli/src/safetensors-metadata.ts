import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The `__metadata__` of a safetensors file, reading only its header (a training checkpoint's
 * config, without loading gigabytes of tensors).
 */
export function readSafetensorsMetadata(path: string): Record<string, string> {
  const fd = openSync(path, 'r');
  try {
    const prefix = Buffer.alloc(8);
    if (readSync(fd, prefix, 0, 8, 0) !== 8) throw new Error(`${path} is too short to be a safetensors file`);
    const length = Number(prefix.readBigUInt64LE(0));
    if (length > 100_000_000) throw new Error(`${path}: a safetensors header of ${length} bytes is not plausible; is this a safetensors file?`);
    const header = Buffer.alloc(length);
    if (readSync(fd, header, 0, length, 8) !== length) throw new Error(`${path} ends inside its safetensors header`);
    const parsed = JSON.parse(header.toString('utf8')) as { __metadata__?: Record<string, string> };
    return parsed.__metadata__ ?? {};
  } finally {
    closeSync(fd);
  }
}
