import { DownloadError } from './errors.js';

export interface HttpGetResult {
  response: Response;
  /** The URL that answered (after redirects). */
  finalUrl: string;
  /** SHA-256 the Hugging Face hub announces for LFS files (`X-Linked-Etag` on its redirect). */
  sha256Hint?: string;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const sha256Pattern = /^(?:W\/)?"?([0-9a-f]{64})"?$/i;

/**
 * GET with redirects followed by hand, so that the hub's headers on the redirect itself can be
 * read, and so that `privateHeaders` (e.g. Authorization) go only to the first URL's origin, never
 * to the CDN it redirects to. `headers` (e.g. Range) go to every hop.
 */
export async function httpGet(
  url: string,
  { headers = {}, privateHeaders = {}, signal }: { headers?: Record<string, string>; privateHeaders?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<HttpGetResult> {
  const origin = new URL(url).origin;
  let current = url;
  let sha256Hint: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const sameOrigin = new URL(current).origin === origin;
    const response = await fetch(current, {
      headers: sameOrigin ? { ...headers, ...privateHeaders } : headers,
      redirect: 'manual',
      signal,
    });
    const linked = response.headers.get('x-linked-etag');
    const match = linked ? sha256Pattern.exec(linked.trim()) : null;
    if (match) sha256Hint = match[1].toLowerCase();
    const location = response.headers.get('location');
    if (!redirectStatuses.has(response.status) || !location) return { response, finalUrl: current, sha256Hint };
    await response.body?.cancel();
    current = new URL(location, current).href;
  }
  throw new DownloadError(`GET ${url}: more than 10 redirects`);
}
