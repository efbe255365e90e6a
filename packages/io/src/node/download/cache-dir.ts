import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where downloaded weights live: the `cacheDir` option, else `$PIXELREPA_CACHE`, else
 * `~/.cache/pixelrepa`.
 */
export function resolveCacheDir(cacheDir?: string): string {
  if (cacheDir) return resolve(cacheDir);
  const fromEnv = process.env.PIXELREPA_CACHE;
  if (fromEnv) return resolve(fromEnv);
  return join(homedir(), '.cache', 'pixelrepa');
}

/** Offline when the option says so, else when `$PIXELREPA_OFFLINE` is `1` / `true` / `yes`. */
export function isOffline(offline?: boolean): boolean {
  if (offline !== undefined) return offline;
  return /^(1|true|yes)$/i.test(process.env.PIXELREPA_OFFLINE ?? '');
}
