import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig(packageBuild({ index: 'src/index.ts', 'node/index': 'src/node/index.ts', 'node/decode-worker': 'src/node/decode-worker.ts' }));
