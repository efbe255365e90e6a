import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file the test hub serves, and how it misbehaves. */
export interface HubFile {
  bytes: Uint8Array;
  /** The first this-many responses send half of what they promise, then drop the connection. */
  interruptions?: number;
  /** Answer like huggingface.co: a 302 to a CDN path with `X-Linked-Etag: "<sha256>"`. */
  linkedSha256?: string;
}

export interface HubServer {
  url: string;
  /** Every request seen: path and Range header. */
  requests: Array<{ path: string; range?: string }>;
  close(): Promise<void>;
}

/**
 * A Hugging Face-like file server on 127.0.0.1 (port chosen by the OS) for download tests:
 * Range requests (206 / 416), redirects with the hub's checksum header, dropped connections.
 */
export async function startHubServer(files: Record<string, HubFile>): Promise<HubServer> {
  const requests: HubServer['requests'] = [];
  const served = new Map<string, number>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    requests.push({ path, range: request.headers.range });
    const direct = files[path];
    if (direct?.linkedSha256) {
      response.writeHead(302, { Location: `/cdn${path}`, 'X-Linked-Etag': `"${direct.linkedSha256}"`, 'Content-Length': '0' });
      response.end();
      return;
    }
    const file = direct ?? (path.startsWith('/cdn/') ? files[path.slice(4)] : undefined);
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('Entry not found');
      return;
    }
    const size = file.bytes.length;
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= size && range) {
      response.writeHead(416, { 'Content-Range': `bytes */${size}` });
      response.end();
      return;
    }
    const body = file.bytes.subarray(start);
    response.writeHead(range ? 206 : 200, {
      'Content-Length': String(body.length),
      'Accept-Ranges': 'bytes',
      ...(range ? { 'Content-Range': `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    const count = served.get(path) ?? 0;
    served.set(path, count + 1);
    if (count < (file.interruptions ?? 0)) {
      response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
