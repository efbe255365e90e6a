// Debian's chromium, headless, driven by playwright-core: a fresh profile, WebGPU enabled (on a
// machine without a GPU it runs on SwiftShader), and nothing that reaches the network by itself.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.PIXELREPA_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser test cannot run here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  return `${chromiumPath} not found: the browser test needs Debian's chromium; run \`bash scripts/ci/system-packages.sh\` as root (or set PIXELREPA_CHROMIUM to a Chromium binary)`;
}

const flags = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  // No background traffic: updates, sync, QUIC probes, first-run pages.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Browser {
  page: Page;
  /** What the page printed to its console (for failure messages). */
  console: string[];
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'pixelrepa-chromium-'));
  let context: BrowserContext;
  try {
    // headless: false because `--headless=new` above chooses the mode; playwright's own headless
    // switch would ask for the old headless shell, which Chromium no longer has.
    context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: false, args: flags, timeout: 60_000 });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  return {
    page,
    console: lines,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
