// A folder of generated samples: one PNG per image named by its index in the sample set, written
// atomically, and a record of the settings so that shards and reruns of one sample set agree.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@pixelrepa/io/node';
import { ImageInputError, writePng } from './image-files.js';
import { loadSharp } from './load-sharp.js';

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
    const sharp = loadSharp();
    const { info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    return info.width === size && info.height === size && info.channels === 3;
  } catch {
    return false;
  }
}

/**
 * Records the settings in `samples.json` the first time, and refuses (ImageInputError) a folder
 * written with other settings (another checkpoint, seed, cfg, …): its images would not belong to
 * one sample set. The error names every setting that differs.
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
    throw new ImageInputError(`${file} is not valid JSON (${(error as Error).message}); remove it or write the samples to another folder`);
  }
  const differing = [...new Set([...Object.keys(recorded), ...Object.keys(settings)])].filter(
    (key) => JSON.stringify(recorded[key]) !== JSON.stringify(settings[key]),
  );
  if (differing.length > 0) {
    const detail = differing.map((key) => `${key}: ${JSON.stringify(recorded[key])} there, ${JSON.stringify(settings[key])} now`).join('; ');
    throw new ImageInputError(`${folder} holds samples made with other settings (${detail}); use the same settings as the other shards, or another folder`);
  }
}
