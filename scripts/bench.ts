// Benchmarks: `npm run bench -- <name> [flags]` is `pixelrepa bench <name> [flags]`. The benchmarks
// and their one registry live in @pixelrepa/cli (packages/cli/src/bench/); each prints one JSON
// object with the machine and its figures. `npm run bench -- --help` lists them.
import { runCli } from '@pixelrepa/cli';

const status = await runCli(['bench', ...process.argv.slice(2)]);
process.stdout.write('', () => process.exit(status));
