// The page's build: sources of the workspace packages, tfjs WASM binaries beside the page, and
// cross-origin isolation (COOP/COEP) in dev and preview so WASM gets its threads.
import { defineConfig } from 'vite';
import { workspaceAliases } from './vite/workspace-aliases.ts';
import { crossOriginIsolation } from './vite/cross-origin-isolation.ts';
import { tfjsWasmBinaries } from './vite/tfjs-wasm-binaries.ts';

export default defineConfig({
  // Relative URLs: the built page works from any folder of a static host.
  base: './',
  resolve: { alias: workspaceAliases() },
  plugins: [tfjsWasmBinaries()],
  worker: { format: 'es' },
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // tfjs-backend-wasm starts its threads from the source text of a function (`toString()`); a
    // minifier that knows that function's surroundings rewrites a `typeof` guard inside it, and
    // the threads then fail with "e is not defined". So the bundle is not minified.
    minify: false,
  },
});
