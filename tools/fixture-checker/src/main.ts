#!/usr/bin/env node
// npm run check-fixtures -- <fixtures-root> [--backend cpu|wasm|webgpu] [--case NAME]...
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { BackendName } from '@pixelrepa/tensor';
import { runChecks } from './run.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'cpu' },
    case: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || positionals.length !== 1) {
  console.log('usage: npm run check-fixtures -- <fixtures-root> [--backend cpu|wasm|webgpu] [--case NAME]...');
  process.exit(values.help ? 0 : 2);
}

const summary = await runChecks({
  root: resolve(positionals[0]),
  backend: values.backend as BackendName,
  cases: values.case,
  log: (line) => console.log(line),
});
process.exit(summary.failed > 0 ? 1 : 0);
