import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../../test-support/hub-server.js';
import { ChecksumError, DownloadError, OfflineError } from './errors.js';
import { fetchToCache } from './fetch-to-cache.js';
import type { DownloadProgress } from './progress.js';

const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const corrupt = bytes.slice();
corrupt[123_456] ^= 0xff;

let hub: HubServer;
let cacheDir: string;
const fast = { retryDelayMs: 0 };

beforeAll(async () => {
  hub = await startHubServer({
    '/plain/model.safetensors': { bytes },
    '/flaky/model.safetensors': { bytes, interruptions: 2 },
    '/hub/model.safetensors': { bytes, linkedSha256: sha256 },
    '/flaky-hub/model.safetensors': { bytes, linkedSha256: sha256, interruptions: 1 },
    '/corrupt/model.safetensors': { bytes: corrupt },
    '/corrupt-hub/model.safetensors': { bytes: corrupt, linkedSha256: sha256 },
    '/dead/model.safetensors': { bytes, interruptions: 100 },
  });
});
afterAll(() => hub.close());
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'pixelrepa-cache-'));
  hub.requests.length = 0;
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('fetchToCache', () => {
  it('downloads once with progress, then serves the cached file without the network', async () => {
    const progress: DownloadProgress[] = [];
    const options = {
      url: `${hub.url}/plain/model.safetensors`,
      fileName: 'org/model/model.safetensors',
      cacheDir,
      sha256,
      onProgress: (p: DownloadProgress) => progress.push(p),
    };
    const path = await fetchToCache(options);
    expect(path).toBe(join(cacheDir, 'org/model/model.safetensors'));
    expect(readFileSync(path)).toEqual(Buffer.from(bytes));
    expect(progress.at(-1)).toEqual({ fileName: 'org/model/model.safetensors', receivedBytes: bytes.length, totalBytes: bytes.length, done: true });
    expect(progress.length).toBeGreaterThan(1);
    expect(readdirSync(join(cacheDir, 'org/model')).sort()).toEqual(['model.safetensors', 'model.safetensors.sha256']);
    expect(await fetchToCache({ ...options, offline: true })).toBe(path);
    expect(hub.requests).toHaveLength(1);
  });

  it('resumes with a Range request after the connection drops mid-file', async () => {
    const path = await fetchToCache({ url: `${hub.url}/flaky/model.safetensors`, fileName: 'flaky.safetensors', cacheDir, sha256, ...fast });
    expect(readFileSync(path)).toEqual(Buffer.from(bytes));
    // A dropped response ends wherever the client had got to (at most half); the next one resumes there.
    const ranges = hub.requests.map((r) => r.range);
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBeUndefined();
    const offsets = ranges.slice(1).map((range) => (range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1]) : 0));
    expect(offsets[1]).toBeGreaterThanOrEqual(offsets[0]);
    expect(offsets[1]).toBeGreaterThan(0);
    expect(offsets[1]).toBeLessThan(bytes.length);
  });

  it('resumes a partial file left by an earlier run', async () => {
    writeFileSync(join(cacheDir, 'resume.safetensors.partial'), bytes.subarray(0, 1000));
    const path = await fetchToCache({ url: `${hub.url}/plain/model.safetensors`, fileName: 'resume.safetensors', cacheDir, sha256 });
    expect(readFileSync(path)).toEqual(Buffer.from(bytes));
    expect(hub.requests.map((r) => r.range)).toEqual(['bytes=1000-']);
  });

  it('gives up after the retries, keeping the partial file for a later resume', async () => {
    const attempt = fetchToCache({ url: `${hub.url}/dead/model.safetensors`, fileName: 'dead.safetensors', cacheDir, retries: 2, ...fast });
    await expect(attempt).rejects.toThrow(DownloadError);
    await expect(attempt).rejects.toThrow(/interrupted 3 times .* bytes are kept in .*dead\.safetensors\.partial, run again to resume/);
    expect(existsSync(join(cacheDir, 'dead.safetensors'))).toBe(false);
    expect(existsSync(join(cacheDir, 'dead.safetensors.partial'))).toBe(true);
  });

  it('rejects a corrupt download and keeps nothing', async () => {
    const attempt = fetchToCache({ url: `${hub.url}/corrupt/model.safetensors`, fileName: 'bad.safetensors', cacheDir, sha256 });
    await expect(attempt).rejects.toThrow(ChecksumError);
    await expect(attempt).rejects.toThrow(new RegExp(`expected ${sha256}; it was deleted, run again`));
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('checks the hash the hub announces on its redirect (X-Linked-Etag)', async () => {
    const path = await fetchToCache({ url: `${hub.url}/hub/model.safetensors`, fileName: 'hub.safetensors', cacheDir });
    expect(readFileSync(`${path}.sha256`, 'utf8').trim()).toBe(sha256);
    expect(hub.requests.map((r) => r.path)).toEqual(['/hub/model.safetensors', '/cdn/hub/model.safetensors']);
    await expect(fetchToCache({ url: `${hub.url}/corrupt-hub/model.safetensors`, fileName: 'bad-hub.safetensors', cacheDir })).rejects.toThrow(ChecksumError);
    expect(existsSync(join(cacheDir, 'bad-hub.safetensors'))).toBe(false);
  });

  it("resumes through the hub's redirect and still checks the announced hash", async () => {
    const path = await fetchToCache({ url: `${hub.url}/flaky-hub/model.safetensors`, fileName: 'flaky-hub.safetensors', cacheDir, ...fast });
    expect(readFileSync(`${path}.sha256`, 'utf8').trim()).toBe(sha256);
    expect(hub.requests.map((r) => r.path)).toEqual([
      '/flaky-hub/model.safetensors',
      '/cdn/flaky-hub/model.safetensors',
      '/flaky-hub/model.safetensors',
      '/cdn/flaky-hub/model.safetensors',
    ]);
  });

  it('re-downloads a cached file that fails the given checksum', async () => {
    mkdirSync(join(cacheDir, 'x'));
    writeFileSync(join(cacheDir, 'x/model.safetensors'), corrupt);
    const path = await fetchToCache({ url: `${hub.url}/plain/model.safetensors`, fileName: 'x/model.safetensors', cacheDir, sha256 });
    expect(readFileSync(path)).toEqual(Buffer.from(bytes));
  });

  it('in offline mode, says which file to put where', async () => {
    const attempt = fetchToCache({ url: `${hub.url}/plain/model.safetensors`, fileName: 'timm/vit/model.safetensors', cacheDir, offline: true });
    await expect(attempt).rejects.toThrow(OfflineError);
    await expect(attempt).rejects.toThrow(`download ${hub.url}/plain/model.safetensors and save it as ${join(cacheDir, 'timm/vit/model.safetensors')}`);
    expect(hub.requests).toHaveLength(0);
  });

  it('reads PIXELREPA_CACHE and PIXELREPA_OFFLINE', async () => {
    const saved = { cache: process.env.PIXELREPA_CACHE, offline: process.env.PIXELREPA_OFFLINE };
    process.env.PIXELREPA_CACHE = cacheDir;
    process.env.PIXELREPA_OFFLINE = '1';
    try {
      await expect(fetchToCache({ url: `${hub.url}/plain/model.safetensors`, fileName: 'env.safetensors' })).rejects.toThrow(join(cacheDir, 'env.safetensors'));
    } finally {
      for (const [key, value] of [
        ['PIXELREPA_CACHE', saved.cache],
        ['PIXELREPA_OFFLINE', saved.offline],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('reports a missing file as an HTTP error without retrying', async () => {
    await expect(fetchToCache({ url: `${hub.url}/nothing/model.safetensors`, fileName: 'none.safetensors', cacheDir })).rejects.toThrow(
      /HTTP 404 Not Found: no such file \(check the model name, repository and revision\)/,
    );
    expect(hub.requests).toHaveLength(1);
  });
});
