// The folder `pixelrepa sample` writes: one PNG per image named by its index in the sample set,
// written atomically, and a record of the settings so that shards and reruns agree.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '@pixelrepa/io/node';
import { UsageError } from './errors.js';
import { writePng } from '@pixelrepa/data/node';

/** `000012-class0004.png`: the index first, so a sorted listing is the sample set's order. */
export function sampleFileName(index: number, label: number, total: number): string {
  return `${String(index).padStart(Math.max(6, String(total - 1).length), '0')}-class${String(label).padStart(4, '0')}.png`;
}

/** Writes a PNG under a temporary name and renames it, so a crash never leaves half a file under the final name. */
export async function writePngAtomic(path: string, pixels: Uint8Array, width: number, height: number): Promise<void> {
  const temporary = `${path}.partial-${process.pid}`;
  try {
    await writePng(temporary, pixels, width, height);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Whether `path` holds a complete image of the expected size: it decodes (PNG chunk CRCs and the
 * zlib checksum are checked) to `size` × `size` RGB. A rerun regenerates anything else.
 */
export async function isWrittenImage(path: string, size: number): Promise<boolean> {
  if (!existsSync(path)) return false;
  try {
    const { info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    return info.width === size && info.height === size && info.channels === 3;
  } catch {
    return false;
  }
}

/**
 * Records the settings in `samples.json` the first time, and refuses a folder written with other
 * settings (another checkpoint, seed, cfg, …): its images would not belong to one sample set.
 */
export function checkSampleSettings(folder: string, settings: Record<string, unknown>): void {
  const file = join(folder, 'samples.json');
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  if (!existsSync(file)) {
    writeFileAtomic(file, new TextEncoder().encode(text));
    return;
  }
  let recorded: Record<string, unknown>;
  try {
    recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}); remove it or choose another --output_dir`);
  }
  const differing = [...new Set([...Object.keys(recorded), ...Object.keys(settings)])].filter(
    (key) => JSON.stringify(recorded[key]) !== JSON.stringify(settings[key]),
  );
  if (differing.length > 0) {
    const detail = differing.map((key) => `${key}: ${JSON.stringify(recorded[key])} there, ${JSON.stringify(settings[key])} now`).join('; ');
    throw new UsageError(`${folder} holds samples made with other settings (${detail}); use the same flags as the other shards, or another --output_dir`);
  }
}
