#!/usr/bin/env node
// npm run make-fixtures -- --official <PixelREPA checkout> [--repa <REPA checkout>] [--timm <dir>] [--fidelity <dir>] [--transformers <dir>]
//   --out <folder> [--cases a,b] [--seed N] [--from <fixtures>] | --list
// Finds a Python with PyTorch and runs the generator (tools/make-fixtures/make_fixtures.py; docs/fixtures.md).
import { spawnSync } from 'node:child_process';
import { findTorchPython, generatorScript } from './python.js';

const { python, reason } = findTorchPython();
if (!python) {
  console.error(`make-fixtures: ${reason}`);
  process.exit(1);
}
const run = spawnSync(python, [generatorScript, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
