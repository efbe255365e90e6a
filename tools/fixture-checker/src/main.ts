#!/usr/bin/env node
// npm run check-fixtures -- [<fixtures-root>] [--backend cpu|wasm|webgpu] [--case NAME]... [--json]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { BackendName } from '@pixelrepa/tensor';
import { fixturesRoot } from '@pixelrepa/tensor/testing';
import { runChecks } from './run.js';
import { summaryJson } from './json.js';

const usage =
  'usage: npm run check-fixtures -- [<fixtures-root>] [--backend cpu|wasm|webgpu] [--case NAME]... [--json]\n' +
  '  <fixtures-root> defaults to $PIXELREPA_FIXTURES, else the shared/fixtures beside the repository;\n' +
  '  --case takes a case folder or a kind (repeatable); --json prints one JSON object instead of a line per tensor.';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'cpu' },
    case: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || positionals.length > 1) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

try {
  const summary = await runChecks({
    root: positionals.length ? resolve(positionals[0]) : fixturesRoot(),
    backend: values.backend as BackendName,
    cases: values.case,
    log: values.json ? undefined : (line) => console.log(line),
  });
  if (values.json) console.log(JSON.stringify(summaryJson(summary), null, 2));
  // A case of a kind nobody checks is a failure too: nothing may pass by being skipped.
  process.exit(summary.failed > 0 || summary.skipped > 0 ? 1 : 0);
} catch (error) {
  // Only the message: once the wasm backend is up, an uncaught error is rethrown from inside its
  // minified glue and Node prints that whole source line (57 KB) before the error.
  console.error(`check-fixtures: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
