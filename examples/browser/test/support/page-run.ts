// Drives the built page through its URL and reads what it publishes on `window.pixelrepaPage`.
import type { Page } from 'playwright-core';
import type { BackendInfo } from '@pixelrepa/tensor';

export interface PageResult {
  state: string;
  backend?: BackendInfo;
  error?: string;
  result?: { pixels: number[]; rows: number; cols: number; size: number; stepMs: number[]; totalMs: number };
}

/** Opens the page with `query` and waits until it is in one of `states` (or failed). */
export async function runPage(page: Page, url: string, query: Record<string, string | number>, states: string[], timeout = 90_000): Promise<PageResult> {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  await page.goto(`${url}?${search}`);
  await page.waitForFunction((wanted) => [...wanted, 'error'].includes(document.body.dataset.state ?? ''), states, { timeout });
  return page.evaluate(() => (window as unknown as { pixelrepaPage: PageResult }).pixelrepaPage);
}
