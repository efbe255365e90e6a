import type { Options } from 'tsup';

/** Every package's build: ESM + .d.ts for the given entries, from tsconfig.build.json. */
export function packageBuild(entry: Options['entry']): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    tsconfig: 'tsconfig.build.json',
  };
}
