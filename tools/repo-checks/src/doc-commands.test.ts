// Every command of README.md, docs/*.md, examples/*/README.md and each `pixelrepa <command> --help`
// runs as written, shortened by the table below (a few steps, tiny sizes, cpu, offline), with the
// built CLI (`npm run build` first; CI builds before it tests; without a build they are skipped by name,
// or fail with CI or PIXELREPA_REQUIRE_BUILD set). A command that cannot run here is
// skipped by name with its reason: marked in its document (`<!-- not run: … -->` before the block)
// or matched by a row of `notRunHere`; a command that no row covers fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '@pixelrepa/cli';
import { extractCommands, withoutComment, type DocCommand } from './doc-commands.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages', 'cli', 'bin', 'pixelrepa.js');
const built = existsSync(join(root, 'packages', 'cli', 'dist', 'main.js'));
/** Without a build, the runnable commands are skipped by name, except on CI (which builds first), where they fail. */
const notBuilt = !built && !process.env.CI && !process.env.PIXELREPA_REQUIRE_BUILD ? 'the CLI is not built (run `npm run build`, then the tests)' : undefined;

/** How each `pixelrepa` command is shortened: these flags replace the document's or are added. */
const shortRuns: Array<{ match: RegExp; flags: Record<string, string> }> = [
  { match: /^pixelrepa train .*--resume/, flags: { steps: '4', backend: 'cpu' } },
  { match: /^pixelrepa train /, flags: { steps: '2', batch_size: '2', backend: 'cpu' } },
  { match: /^pixelrepa sample /, flags: { num_per_class: '1', num_sampling_steps: '2', backend: 'cpu' } },
  { match: /^pixelrepa (info|convert)\b/, flags: {} },
];

/** Commands that cannot run in a test on this machine, and why (first matching row wins). */
const notRunHere: Array<{ match: RegExp; reason: string }> = [
  { match: /^npm install\b/, reason: 'installs from the npm registry (network)' },
  { match: /^npm (ci|test)\b/, reason: 'installs / runs the whole suite (CI does both)' },
  { match: /^npm run (build|typecheck|lint)\b/, reason: 'CI runs it before the tests' },
  {
    match: /^npm (start|run -w @pixelrepa\/example-quickstart)\b/,
    reason: 'minutes of training: examples/quickstart tests its parts, tools/repo-checks/src/recipe-parity.test.ts its run',
  },
  { match: /^npm run check-fixtures\b/, reason: 'the fixture tests run every reference case (npm test)' },
  { match: /^npm run make-fixtures\b/, reason: 'runs the official PyTorch code (needs torch and a download)' },
  { match: /^npm run bench\b/, reason: 'benchmarks take minutes and are not tests' },
  { match: /^npm run fuzz\b/, reason: 'thousands of cases: packages/io runs a short fuzz in its tests' },
  {
    match: /^npm run -w @pixelrepa\/example-browser (dev|export-checkpoint)\b/,
    reason: "needs the quickstart's checkpoint or serves a web page (examples/browser tests)",
  },
  { match: /^npm run -w @pixelrepa\/example-mix-alignment\b/, reason: 'minutes of training: examples/mix-alignment tests its parts' },
  { match: /…/, reason: 'flags elided (…) in the document' },
  { match: /<command>/, reason: 'a template, not a command' },
  { match: /--backend webgpu/, reason: 'needs a GPU' },
  { match: /imagenet|\/data\/|\/shared\//i, reason: 'needs ImageNet or a shared cluster folder' },
  { match: /\.pth\b/, reason: 'needs an official PixelREPA .pth checkpoint (a download)' },
  { match: /jit-b16.*\.safetensors|--model JiT-B\/16/, reason: 'needs a JiT-B/16 checkpoint (a download, hours of training)' },
  { match: /stats\.npz|shards\//, reason: 'needs ImageNet reference statistics or eval shards' },
  { match: /^pixelrepa eval /, reason: 'needs the FID-Inception weights (a download) and a trained run' },
  { match: /--data_path \/usr\/share\/datasets\/fashion-mnist/, reason: "needs Debian's dataset-fashion-mnist (apt-get)" },
  { match: /^pixelrepa bench /, reason: 'benchmarks take minutes; `npm run bench` is their runner (scripts/bench.ts)' },
  {
    match: /^pixelrepa (convert|sample) (--checkpoint )?(run|runs\/b16)\b/,
    reason: 'names an ImageNet-scale run folder (convert and sample on a run: packages/cli tests)',
  },
  { match: /^pixelrepa prepare /, reason: 'needs an image folder (prepare: packages/cli/src/commands/prepare.test.ts)' },
];

/** What a `--help`'s examples take as given, made first (shortened like the examples). */
const setUp: Record<string, string[]> = {
  'pixelrepa sample --help': ['pixelrepa train --recipe quickstart --output_dir output_dir'],
  'pixelrepa convert --help': ['pixelrepa train --recipe quickstart --output_dir runs/quickstart'],
};

/** The documents, each with its commands in order (a later command may use what an earlier one wrote). */
function documentedCommands(): Array<{ source: string; commands: DocCommand[] }> {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
    ...readdirSync(join(root, 'examples'))
      .map((e) => `examples/${e}/README.md`)
      .filter((f) => existsSync(join(root, f))),
  ];
  const fromDocs = files.map((file) => ({ source: file, commands: extractCommands(readFileSync(join(root, file), 'utf8'), file) }));
  const fromHelp = Object.entries(commands).map(([name, command]) => ({
    source: `pixelrepa ${name} --help`,
    commands: command.spec.examples.map((example) => ({ where: `pixelrepa ${name} --help`, command: withoutComment(example) })),
  }));
  return [...fromDocs, ...fromHelp].filter((group) => group.commands.length > 0);
}

/** The command shortened by `shortRuns`, with `pixelrepa` the built CLI; undefined when no row covers it. */
function shortened(command: string): string | undefined {
  const plain = command.replace(/^npx /, '');
  const rule = shortRuns.find((row) => row.match.test(plain));
  if (!rule) return undefined;
  let line = plain;
  for (const [flag, value] of Object.entries(rule.flags)) line = `${line.replace(new RegExp(`\\s--${flag}(=|\\s+)\\S+`, 'g'), '')} --${flag} ${value}`;
  return line.replace(/^pixelrepa/, `node ${JSON.stringify(bin)}`);
}

const groups = documentedCommands();

describe('the documented commands', () => {
  it('are found in the documents and --help', () => {
    expect(groups.map((group) => group.source)).toEqual(expect.arrayContaining(['README.md', 'docs/cli.md', 'pixelrepa train --help']));
  });

  it('every row of notRunHere still names a documented command', () => {
    const all = groups.flatMap((group) => group.commands.map((c) => c.command));
    expect(notRunHere.filter((row) => !all.some((command) => row.match.test(command))).map((row) => String(row.match))).toEqual([]);
  });
});

describe.each(groups)('$source', ({ source, commands: documented }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'doc-commands-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  beforeAll(() => {
    for (const command of built ? (setUp[source] ?? []) : []) {
      const run = spawnSync('bash', ['-c', shortened(command)!], { cwd, encoding: 'utf8', timeout: 150_000 });
      if (run.status !== 0) throw new Error(`setting up ${source}: ${command} failed\n${run.stderr.slice(-2000)}`);
    }
  }, 180_000);
  for (const { where, command, notRun } of documented) {
    const reason = notRun ?? notRunHere.find((row) => row.match.test(command.replace(/^npx /, '')))?.reason ?? notBuilt;
    const name = `${command}  (${where === source ? 'examples' : where})`;
    if (reason !== undefined) {
      it.skip(`${name}: not run, ${reason}`, () => {});
      continue;
    }
    it(
      name,
      () => {
        expect(built, 'the CLI is not built: run `npm run build` first (CI builds before the tests)').toBe(true);
        const line = shortened(command);
        expect(
          line,
          `no short-run rule and no not-run reason covers "${command}" (${where}): add one to doc-commands.test.ts, or mark it in the document with <!-- not run: reason -->`,
        ).toBeDefined();
        const run = spawnSync('bash', ['-c', line!], {
          cwd,
          encoding: 'utf8',
          env: { ...process.env, PIXELREPA_CACHE: join(cwd, '.cache') },
          timeout: 150_000,
        });
        expect(run.status, `${where}: ${command}\nran: ${line}\n${run.stderr.slice(-3000)}`).toBe(0);
      },
      180_000,
    );
  }
});
