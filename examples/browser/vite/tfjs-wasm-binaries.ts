import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { crossOriginIsolation } from './cross-origin-isolation.ts';

/** Where the page finds tfjs-backend-wasm's binaries (it passes this folder as `wasmPaths`). */
export const wasmFolder = 'tfjs-wasm';

/** The three binaries of tfjs-backend-wasm (plain, SIMD, threaded SIMD), by file name. */
function wasmBinaries(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = readdirSync(dist).filter((name) => name.endsWith('.wasm'));
  if (files.length === 0) throw new Error(`no .wasm files in ${dist}: is @tensorflow/tfjs-backend-wasm installed completely?`);
  return new Map(files.map((name) => [name, join(dist, name)]));
}

/**
 * Serves (dev, preview) and emits (build) the tfjs WASM binaries under `tfjs-wasm/`, beside the
 * page, under their own names: tfjs picks one of them at run time, so they are not imports.
 */
export function tfjsWasmBinaries(): Plugin {
  const binaries = wasmBinaries();
  const serve = (server: {
    middlewares: { use(path: string, handler: (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => void): void };
  }) => {
    server.middlewares.use(`/${wasmFolder}`, (req, res, next) => {
      const path = binaries.get((req.url ?? '').replace(/^\/+|\?.*$/g, ''));
      if (!path) return next();
      res.writeHead(200, { 'Content-Type': 'application/wasm', ...crossOriginIsolation });
      res.end(readFileSync(path));
    });
  };
  return {
    name: 'pixelrepa:tfjs-wasm-binaries',
    configureServer: serve,
    configurePreviewServer: serve,
    generateBundle() {
      for (const [name, path] of binaries) this.emitFile({ type: 'asset', fileName: `${wasmFolder}/${name}`, source: readFileSync(path) });
    },
  };
}
