// The reproduction's report: reads docs/reproduction/results.jsonl (the default protocol's lines)
// and rewrites the generated part of docs/reproduction.md (between its markers) and the plot.
//   npm run -w @pixelrepa/example-reproduction report [-- --results <file> --doc <file> --plot <file>]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { lineChartPng, type Series } from '../../quickstart/src/plot.js';
import { protocol, repositoryPath, resultsFile, variants, type Variant } from './protocol.js';
import { readResults, type ResultLine } from './results.js';
import { formatSummary, pairedDifference, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    results: { type: 'string' },
    protocol: { type: 'string', default: protocol.id },
    doc: { type: 'string', default: 'docs/reproduction.md' },
    plot: { type: 'string', default: 'docs/reproduction/fd.png' },
    'step-cost': { type: 'string', default: 'docs/reproduction/step-cost.json' },
  },
});
const userPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
const inRepository = (path: string) => (process.env.INIT_CWD ? userPath(path) : repositoryPath(path));
const results = readResults(values.results ? userPath(values.results) : repositoryPath(resultsFile)).filter((line) => line.protocol === values.protocol);
const colours: Record<Variant, string> = { none: '#1f77b4', repa: '#ff7f0e', pixelrepa: '#2ca02c' };
const names: Record<Variant, string> = { none: 'JiT (none)', repa: 'JiT + REPA', pixelrepa: 'JiT + PixelREPA' };
const steps = [...new Set(results.map((line) => line.step))].sort((a, b) => a - b);
const present = variants.filter((variant) => results.some((line) => line.variant === variant));

/** metric per seed for (variant, step). */
function bySeed(variant: Variant, step: number, metric: (line: ResultLine) => number): Map<number, number> {
  return new Map(results.filter((line) => line.variant === variant && line.step === step).map((line) => [line.seed, metric(line)]));
}

const metrics: Array<{ key: string; title: string; get: (line: ResultLine) => number; digits: number; better: 'lower' | 'higher' }> = [
  { key: 'fd', title: 'judge FD (lower is better)', get: (line) => line.fd, digits: 2, better: 'lower' },
  { key: 'accuracy', title: 'conditional accuracy, % (higher is better)', get: (line) => 100 * line.accuracy, digits: 1, better: 'higher' },
  { key: 'fd_target', title: "FD in the alignment target's features (not independent)", get: (line) => line.fd_target, digits: 2, better: 'lower' },
];

const lines: string[] = [];
lines.push(
  `Protocol \`${values.protocol}\`: ${results.length} evaluations of ${new Set(results.map((line) => `${line.variant}/${line.seed}`)).size} runs (${present.map((variant) => `${variant}: seeds ${[...new Set(results.filter((line) => line.variant === variant).map((line) => line.seed))].sort().join(', ')}`).join('; ')}).`,
  '',
);

for (const metric of metrics) {
  lines.push(`**${metric.title}** — mean ± sd over seeds (n seeds)`, '');
  lines.push(`| step | ${present.map((variant) => names[variant]).join(' | ')} |`, `| ---: | ${present.map(() => '---:').join(' | ')} |`);
  for (const step of steps) {
    lines.push(
      `| ${step} | ${present
        .map((variant) => {
          const s = summarize([...bySeed(variant, step, metric.get).values()]);
          return s.n ? `${formatSummary(s, metric.digits)} (${s.n})` : '—';
        })
        .join(' | ')} |`,
    );
  }
  lines.push('');
}

const pairs: Array<[Variant, Variant]> = [
  ['none', 'repa'],
  ['none', 'pixelrepa'],
  ['repa', 'pixelrepa'],
];
lines.push(
  "**Paired differences** (same seed, second − first; judge FD: negative = the second is better; accuracy in points). ✓ = counts: every seed agrees in sign and the mean exceeds each variant's sd over seeds and the sd of the differences.",
  '',
);
lines.push(
  `| step | ${pairs.map(([a, b]) => `FD ${b} − ${a}`).join(' | ')} | ${pairs.map(([a, b]) => `acc. ${b} − ${a}`).join(' | ')} |`,
  `| ---: | ${pairs.map(() => '---:').join(' | ')} | ${pairs.map(() => '---:').join(' | ')} |`,
);
for (const step of steps) {
  const cell =
    (metric: (typeof metrics)[number]) =>
    ([a, b]: [Variant, Variant]) => {
      const d = pairedDifference(bySeed(a, step, metric.get), bySeed(b, step, metric.get));
      return d.n ? `${formatSummary(d, metric.digits)}${d.counts ? ' ✓' : ''} (${d.n})` : '—';
    };
  lines.push(`| ${step} | ${pairs.map(cell(metrics[0])).join(' | ')} | ${pairs.map(cell(metrics[1])).join(' | ')} |`);
}
lines.push('');

// Wall time: the mean training step between evaluations, over the lines that measured it.
lines.push(
  '**Wall time per training step** (mean over evaluation segments and seeds; the machine is shared, so the load average is shown) and the time each variant needs to reach a step:',
  '',
);
lines.push('| variant | s / step | load (mean) | time to 750 steps | time to the last step |', '| --- | ---: | ---: | ---: | ---: |');
const lastStep = steps.at(-1) ?? protocol.steps;
for (const variant of present) {
  const mine = results.filter((line) => line.variant === variant);
  const perStep = summarize(mine.map((line) => line.train_seconds_per_step).filter(Number.isFinite));
  const load = summarize(mine.map((line) => line.load));
  lines.push(
    `| ${names[variant]} | ${formatSummary(perStep, 3)} | ${load.mean.toFixed(1)} | ${((perStep.mean * 750) / 60).toFixed(1)} min | ${((perStep.mean * lastStep) / 60).toFixed(1)} min |`,
  );
}

// Equal time: each step's cost measured with the variants taking turns in one process (step-cost.ts).
const costPath = inRepository(values['step-cost']!);
if (existsSync(costPath) && present.includes('none')) {
  const cost = JSON.parse(readFileSync(costPath, 'utf8')) as {
    protocol: string;
    load_average: { mean: number };
    machine: { cpu: string; cores: number; backend: string; threads: number };
    variants: Record<Variant, { seconds_per_step: number; relative_to_none: number }>;
  };
  lines.push(
    '',
    `**At equal training time.** One step's cost measured with the variants taking turns in one process (\`step-cost\`; ${cost.machine.cpu}, ${cost.machine.cores} cores, ${cost.machine.backend} with ${cost.machine.threads} threads, load ${cost.load_average.mean.toFixed(1)}): ${present.map((variant) => `${names[variant]} ${(1000 * cost.variants[variant].seconds_per_step).toFixed(0)} ms (${cost.variants[variant].relative_to_none.toFixed(2)}×)`).join(', ')}. For the time vanilla JiT needs to reach a step, the judge FD of each variant at its last evaluation within that time (its step in brackets):`,
    '',
    `| JiT (none)'s time to step | ${present.map((variant) => names[variant]).join(' | ')} |`,
    `| ---: | ${present.map(() => '---:').join(' | ')} |`,
  );
  for (const budget of steps) {
    const cells = present.map((variant) => {
      const reach = budget / cost.variants[variant].relative_to_none;
      const step = steps.filter((s) => s <= reach + 1e-9).at(-1);
      if (step === undefined) return 'none within it';
      return `${formatSummary(summarize([...bySeed(variant, step, metrics[0].get).values()]), 2)} [${step}]`;
    });
    lines.push(`| ${budget} | ${cells.join(' | ')} |`);
  }
}
const machines = [
  ...new Set(results.map((line) => `${line.cpu}, ${line.cores} cores, ${line.backend} with ${line.threads} thread${line.threads === 1 ? '' : 's'}`)),
];
lines.push('', `Measured on: ${machines.join('; ') || '—'}.`);

const docPath = inRepository(values.doc!);
const doc = readFileSync(docPath, 'utf8');
const begin = '<!-- results:begin (generated by `npm run -w @pixelrepa/example-reproduction report`) -->';
const end = '<!-- results:end -->';
const from = doc.indexOf(begin);
const to = doc.indexOf(end);
if (from < 0 || to < from) throw new Error(`${docPath} has no "${begin}" … "${end}" section`);
writeFileSync(docPath, `${doc.slice(0, from + begin.length)}\n${lines.join('\n')}\n${doc.slice(to)}`);

// The plot: mean over seeds (thick) and each seed (faint), one panel per metric.
const panels: Series[][] = metrics.map((metric) =>
  present.flatMap((variant) => [
    {
      name: `${names[variant]} — ${metric.title}`,
      colour: colours[variant],
      markers: true,
      points: steps.map((step): [number, number] => [step, summarize([...bySeed(variant, step, metric.get).values()]).mean]),
    },
    ...[...new Set(results.filter((line) => line.variant === variant).map((line) => line.seed))].map((seed) => ({
      name: '',
      colour: colours[variant],
      opacity: 0.3,
      points: steps.flatMap((step): Array<[number, number]> => {
        const value = bySeed(variant, step, metric.get).get(seed);
        return value === undefined ? [] : [[step, value]];
      }),
    })),
  ]),
);
if (steps.length > 0) await lineChartPng(inRepository(values.plot!), `Fashion-MNIST 32 px, JiT 1.9 M: mean over seeds (faint: each seed)`, panels);
console.log(`wrote ${docPath}${steps.length ? ` and ${inRepository(values.plot!)}` : ''} from ${results.length} results`);
