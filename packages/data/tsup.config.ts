import { defineConfig } from 'tsup';

export default defineConfig({
  // The decode worker is its own entry: worker_threads load it by file, beside dist/node/index.js.
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts', 'node/decode-worker': 'src/node/decode-worker.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: false,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  external: ['sharp'],
});
