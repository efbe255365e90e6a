import { fetchToCache, type ProgressCallback } from '@pixelrepa/io/node';
import { loadFidInceptionV3 } from '../inception/weights.js';
import type { FidInceptionV3 } from '../inception/fid-inception-v3.js';

export interface LoadCachedInceptionOptions {
  /** The weights file; else it is found in the cache or downloaded (torch-fidelity's release). */
  path?: string;
  /** Cache folder (default `$PIXELREPA_CACHE` or `~/.cache/pixelrepa`). */
  cacheDir?: string;
  /** Never download (also `PIXELREPA_OFFLINE=1`): a missing file is an error naming where to put it. */
  offline?: boolean;
  /** Download progress, reported as it goes (default: none; the CLI draws a bar from it). */
  onProgress?: ProgressCallback;
  /** Mirror of the release (tests point it at a local server). */
  url?: string;
}

/**
 * The FID Inception network with torch-fidelity's weights, from `path`, the cache, or a
 * download into the cache (resumable, checked, written atomically) — the encoders' cache code.
 */
export async function loadFidInceptionV3Cached(options: LoadCachedInceptionOptions = {}): Promise<FidInceptionV3> {
  if (options.path) return loadFidInceptionV3({ path: options.path });
  return loadFidInceptionV3({
    resolve: (file) =>
      fetchToCache({
        url: options.url ?? file.url,
        fileName: `torch-fidelity/${file.fileName}`,
        cacheDir: options.cacheDir,
        offline: options.offline,
        onProgress: options.onProgress,
      }),
  });
}
