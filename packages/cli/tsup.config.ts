import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

// main.ts is the `pixelrepa` executable (tsup keeps its shebang and marks it executable); index.ts the importable commands.
export default defineConfig(packageBuild({ main: 'src/main.ts', index: 'src/index.ts' }));
