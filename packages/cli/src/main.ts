#!/usr/bin/env node
// The `pixelrepa` executable.
import { runCli } from './cli.js';

const status = await runCli(process.argv.slice(2));
// Exit even if a backend left worker threads behind; stdout and stderr are flushed first.
process.stdout.write('', () => process.stderr.write('', () => process.exit(status)));
