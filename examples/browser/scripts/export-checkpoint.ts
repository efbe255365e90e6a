// Exports a training checkpoint's EMA weights for the page:
//   npm run -w @pixelrepa/example-browser export-checkpoint -- ../../out/quickstart/checkpoint.safetensors
// writes public/quickstart.safetensors (plain JiT weights) and public/quickstart.json (the model).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSafetensorsFile } from '@pixelrepa/io/node';
import { readCheckpoint } from '@pixelrepa/train/node';
import { pageWeights } from './page-weights.ts';

const usage = 'usage: npm run -w @pixelrepa/example-browser export-checkpoint -- <training checkpoint.safetensors> [--out public/quickstart.safetensors]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: 'public/quickstart.safetensors' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length !== 1) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}
if (!values.out!.endsWith('.safetensors')) {
  console.error(`--out ${values.out} should end in .safetensors (the model description goes beside it as .json)`);
  process.exit(2);
}

const source = resolve(positionals[0]);
let exported;
try {
  exported = pageWeights(readCheckpoint(source), basename(source));
} catch (error) {
  console.error(`cannot export ${source}: ${(error as Error).message}`);
  process.exit(1);
}
const out = resolve(values.out!);
const json = out.replace(/\.safetensors$/, '.json');
// public/ is not in a fresh clone (its exports are not committed).
mkdirSync(dirname(out), { recursive: true });
writeSafetensorsFile(out, exported.tensors, exported.metadata);
writeFileSync(json, `${JSON.stringify(exported.description, null, 2)}\n`);
const bytes = [...exported.tensors.values()].reduce((sum, tensor) => sum + tensor.data.byteLength, 0);
console.log(`wrote ${exported.tensors.size} tensors (${(bytes / 1e6).toFixed(1)} MB) to ${out} and the model description to ${json}`);
