import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const pageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the page with its own vite.config.ts into `outDir` (the programmatic `vite build`). */
export async function buildPage(outDir: string): Promise<void> {
  await build({
    root: pageRoot,
    configFile: `${pageRoot}/vite.config.ts`,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
}
