#!/usr/bin/env node
// The `pixelrepa` executable. A committed file (not dist/main.js itself) so that `npm ci` links
// it even before the first build; it runs the built command.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('pixelrepa: the command is not built yet (no packages/cli/dist/main.js): run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(main.href);
