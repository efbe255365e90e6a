import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadFidInceptionV3Cached } from './load-cached.js';

it('downloads the Inception weights into the shared cache on loopback, checks them, and refuses offline misses', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'pixelrepa-inception-cache-'));
  // A file that is not the release: the download works, the SHA-256 check must refuse it.
  const body = Buffer.from('not the weights');
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    await expect(loadFidInceptionV3Cached({ cacheDir, url: `http://127.0.0.1:${port}/weights.pth`, onProgress: () => {} })).rejects.toThrow(/6726825d/);
    await expect(loadFidInceptionV3Cached({ cacheDir: join(cacheDir, 'empty'), offline: true })).rejects.toThrow(/offline/i);
  } finally {
    server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
