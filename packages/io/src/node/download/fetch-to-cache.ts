import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isOffline, resolveCacheDir } from './cache-dir.js';
import { ChecksumError, DownloadError, OfflineError } from './errors.js';
import { httpGet } from './http-get.js';
import type { ProgressCallback } from './progress.js';
import { sha256File } from './sha256-file.js';

export interface FetchToCacheOptions {
  url: string;
  /** The file's path inside the cache directory (may contain `/`). */
  fileName: string;
  /** Expected SHA-256 (hex). Without it, the hub's announced hash is used when it sends one. */
  sha256?: string;
  /** Default: `$PIXELREPA_CACHE`, else `~/.cache/pixelrepa`. */
  cacheDir?: string;
  /** Never touch the network (default: `$PIXELREPA_OFFLINE`). */
  offline?: boolean;
  onProgress?: ProgressCallback;
  /** Attempts after an interrupted transfer, each resuming where the last stopped (default 5). */
  retries?: number;
  /** Wait before the first retry, doubled after each (default 1000 ms). */
  retryDelayMs?: number;
  /** Abort and resume when no byte arrives for this long (default 60 s). */
  stallTimeoutMs?: number;
  /** Sent only to the URL's own origin, never to a CDN it redirects to (e.g. `Authorization`). */
  privateHeaders?: Record<string, string>;
}

/** A failure worth another try (connection dropped, stalled, short body). */
class Interrupted extends Error {}

/**
 * Returns the path of `fileName` in the cache, downloading `url` first when it is not there.
 * The transfer goes to `<file>.partial` and resumes it with an HTTP Range request after an
 * interruption (also in a later run); the size is checked against Content-Length / Content-Range
 * and the SHA-256 when known; only a verified file is renamed into place (atomic), so the cache
 * never holds a partial or corrupt file under the real name.
 *
 * @example
 * const path = await fetchToCache({
 *   url: 'https://huggingface.co/timm/vit_base_patch14_dinov2.lvd142m/resolve/main/model.safetensors',
 *   fileName: 'timm/vit_base_patch14_dinov2.lvd142m/model.safetensors',
 *   onProgress: ({ receivedBytes, totalBytes }) => console.log(receivedBytes, '/', totalBytes),
 * });
 */
export async function fetchToCache(options: FetchToCacheOptions): Promise<string> {
  const target = join(resolveCacheDir(options.cacheDir), options.fileName);
  const checksumFile = `${target}.sha256`;
  if (existsSync(target)) {
    if (!options.sha256 || (await cachedHash(target, checksumFile)) === options.sha256.toLowerCase()) return target;
    // A cached file that fails a given checksum is not kept.
    rmSync(target, { force: true });
    rmSync(checksumFile, { force: true });
  }
  if (isOffline(options.offline)) {
    throw new OfflineError(
      `${options.fileName} is not in the cache and offline mode is on (offline option or PIXELREPA_OFFLINE=1): ` +
        `download ${options.url} and save it as ${target} (or set PIXELREPA_CACHE / cacheDir to the folder that has it)`,
    );
  }
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  const { sha256Hint } = await downloadResuming(options, partial);
  const expected = (options.sha256 ?? sha256Hint)?.toLowerCase();
  if (expected) {
    const actual = await sha256File(partial);
    if (actual !== expected) {
      rmSync(partial, { force: true });
      throw new ChecksumError(
        `${options.url}: the downloaded file has SHA-256 ${actual}, expected ${expected}; it was deleted, run again to download it afresh`,
      );
    }
  }
  renameSync(partial, target);
  if (expected) writeFileSync(checksumFile, `${expected}\n`);
  const size = statSync(target).size;
  options.onProgress?.({ fileName: options.fileName, receivedBytes: size, totalBytes: size, done: true });
  return target;
}

async function cachedHash(target: string, checksumFile: string): Promise<string> {
  if (existsSync(checksumFile)) return readFileSync(checksumFile, 'utf8').trim().toLowerCase();
  const hash = await sha256File(target);
  writeFileSync(checksumFile, `${hash}\n`);
  return hash;
}

async function downloadResuming(options: FetchToCacheOptions, partial: string): Promise<{ sha256Hint?: string }> {
  const retries = options.retries ?? 5;
  let delay = options.retryDelayMs ?? 1000;
  // The hub announces the hash on its redirect; a resumed request may not pass through it.
  const announced: { sha256Hint?: string } = {};
  for (let attempt = 0; ; attempt++) {
    try {
      const { sha256Hint } = await transfer(options, partial, announced);
      return { sha256Hint: sha256Hint ?? announced.sha256Hint };
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      if (attempt >= retries) {
        const have = existsSync(partial) ? statSync(partial).size : 0;
        throw new DownloadError(
          `${options.url}: interrupted ${attempt + 1} times (last: ${error.message}); ${have} bytes are kept in ${partial}, run again to resume`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}

/** One GET (ranged when part of the file is there), streamed onto the partial file. */
async function transfer(options: FetchToCacheOptions, partial: string, announced: { sha256Hint?: string }): Promise<{ sha256Hint?: string }> {
  const start = existsSync(partial) ? statSync(partial).size : 0;
  const controller = new AbortController();
  const stallMs = options.stallTimeoutMs ?? 60_000;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => controller.abort(new Interrupted(`no data for ${stallMs} ms`)), stallMs);
  };
  armStallTimer();
  try {
    let got;
    try {
      got = await httpGet(options.url, {
        headers: start > 0 ? { Range: `bytes=${start}-` } : {},
        privateHeaders: options.privateHeaders,
        signal: controller.signal,
      });
    } catch (error) {
      throw error instanceof DownloadError ? error : new Interrupted(`request failed: ${(error as Error).message}`);
    }
    const { response, sha256Hint } = got;
    if (sha256Hint) announced.sha256Hint = sha256Hint;
    const { status } = response;
    if (status === 416 && start > 0) {
      // Nothing after `start`: the partial file is complete, or longer than the file (then start over).
      await response.body?.cancel();
      const total = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]);
      if (total === start) return { sha256Hint };
      rmSync(partial, { force: true });
      throw new Interrupted(`the partial file (${start} bytes) does not fit the server's file (${total} bytes)`);
    }
    if (status !== 200 && status !== 206) {
      await response.body?.cancel();
      throw new DownloadError(`GET ${options.url}: HTTP ${status} ${response.statusText}${httpAdvice(status)}`);
    }
    let offset = 0;
    let total: number | undefined;
    if (status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== start) {
        await response.body?.cancel();
        rmSync(partial, { force: true });
        throw new Interrupted(`the server answered range ${response.headers.get('content-range')} for bytes=${start}-`);
      }
      offset = start;
      total = range[3] === '*' ? undefined : Number(range[3]);
    } else {
      const length = response.headers.get('content-length');
      total = length === null ? undefined : Number(length);
    }
    let received = offset;
    const file = await open(partial, offset > 0 ? 'a' : 'w');
    try {
      const reader = response.body!.getReader();
      for (;;) {
        let chunk;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw new Interrupted(`connection lost after ${received} bytes: ${(error as Error).message}`);
        }
        if (chunk.done) break;
        await file.write(chunk.value);
        received += chunk.value.length;
        armStallTimer();
        options.onProgress?.({ fileName: options.fileName, receivedBytes: received, totalBytes: total, done: false });
      }
    } finally {
      await file.close();
    }
    if (total !== undefined && received !== total) throw new Interrupted(`the body ended at byte ${received} of ${total}`);
    return { sha256Hint };
  } finally {
    clearTimeout(stallTimer);
  }
}

function httpAdvice(status: number): string {
  if (status === 404) return ': no such file (check the model name, repository and revision)';
  if (status === 401 || status === 403) return ': the repository may be gated or private (set HF_TOKEN to a token that can read it)';
  return '';
}
