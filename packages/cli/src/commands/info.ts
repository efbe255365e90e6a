import { mtaConfig, mtaForwardMacs, mtaParameterCount, mtaPresets } from '@pixelrepa/adapter';
import { dinov2Config, dinov2ForwardMacs, dinov2ParameterCount, dinov2Presets } from '@pixelrepa/encoders';
import { jitConfig, jitForwardMacs, jitParameterCount, jitPresets } from '@pixelrepa/jit';
import { backendNames, initBackend, type BackendName, type BackendRequest } from '@pixelrepa/tensor';
import { backendFlags, describeBackend } from '../backend.js';
import { defineCommand } from '../context.js';
import { messageOf } from '../errors.js';
import { defineFlags } from '../flags.js';

const infoFlags = defineFlags({
  json: { type: 'boolean', description: 'print JSON instead of tables' },
  ...backendFlags,
  backend: { ...backendFlags.backend, description: 'which backend to try (auto: every one, then the one auto picks)' },
});

interface BackendReport {
  name: BackendName | 'auto';
  starts: boolean;
  /** How it was set up, or why it cannot start here (what to install). */
  reason: string;
  details?: string;
}

export const infoCommand = defineCommand(
  {
    name: 'info',
    summary: 'which backends start here (and why not), and the model presets with sizes and GMACs',
    usage: '[flags]',
    flags: infoFlags,
    examples: ['pixelrepa info', 'pixelrepa info --json', 'pixelrepa info --backend webgpu'],
  },
  async ({ values }, context) => {
    const backends = await probeBackends(values.backend as BackendRequest, values.threads);
    const presets = presetTables();
    if (values.json) {
      context.stdout.write(`${JSON.stringify({ node: process.version, backends, presets }, null, 2)}\n`);
      return 0;
    }
    const lines = ['Backends:'];
    for (const report of backends)
      lines.push(`  ${report.name.padEnd(9)}${report.starts ? 'yes' : 'no '}  ${report.details ? `${report.details} — ` : ''}${report.reason}`);
    lines.push('', 'JiT presets (GMACs per forward of one image; FLOPs = 2 · MACs):');
    lines.push(
      ...table(
        presets.jit.map((p) => [
          p.name,
          `${p.inputSize} px`,
          `patch ${p.patchSize}`,
          `depth ${p.depth}`,
          `width ${p.hiddenSize}`,
          `${p.parametersM}M params`,
          `${p.gmacs} GMACs`,
        ]),
      ),
    );
    lines.push('', 'MTA presets (PixelREPA adapters, training only; their width, heads and classes follow the JiT):');
    lines.push(
      ...table(
        presets.mta.map((p) => [p.name, `depth ${p.depth}`, `width ${p.hiddenSize}`, `→ ${p.outChannels}-d`, `${p.parametersM}M params`, `${p.gmacs} GMACs`]),
      ),
    );
    lines.push('', 'Encoders (built as the alignment target: 256 px, patch 16 → 16×16 tokens):');
    lines.push(...table(presets.encoders.map((p) => [p.name, p.label, `${p.embedDim}-d`, `${p.parametersM}M params`, `${p.gmacs} GMACs`])));
    context.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
);

/** Tries each backend in this process (or only the one asked for), then says which `auto` takes. */
async function probeBackends(wanted: BackendRequest, threads: number | undefined): Promise<BackendReport[]> {
  const names: BackendName[] = wanted === 'auto' ? [...backendNames].reverse() : [wanted];
  const reports: BackendReport[] = [];
  for (const name of names) {
    try {
      const info = await initBackend(name, threads ? { threads } : {});
      const software = info.softwareAdapter ? '; a software adapter, so auto prefers wasm' : '';
      reports.push({ name, starts: true, reason: `${info.reason}${software}`, details: describeBackend(info) });
    } catch (error) {
      reports.push({ name, starts: false, reason: messageOf(error) });
    }
  }
  if (wanted === 'auto') {
    try {
      const info = await initBackend('auto', threads ? { threads } : {});
      reports.push({ name: 'auto', starts: true, reason: info.reason, details: `takes ${describeBackend(info)} (order: ${backendNames.join(' > ')})` });
    } catch (error) {
      reports.push({ name: 'auto', starts: false, reason: messageOf(error) });
    }
  }
  return reports;
}

const millions = (n: number) => Number((n / 1e6).toFixed(1));
const giga = (n: number) => Number((n / 1e9).toFixed(2));

/** Every preset with its size and cost. */
export function presetTables() {
  const jit = Object.keys(jitPresets).map((name) => {
    const config = jitConfig(name);
    return { name, ...config, parametersM: millions(jitParameterCount(config)), gmacs: giga(jitForwardMacs(config)) };
  });
  const mta = Object.keys(mtaPresets).map((name) => {
    const config = mtaConfig(name);
    return { name, ...config, parametersM: millions(mtaParameterCount(config)), gmacs: giga(mtaForwardMacs(config)) };
  });
  const encoders = Object.keys(dinov2Presets).map((name) => {
    const config = dinov2Config(name, { imgSize: 256, patchSize: 16 });
    return {
      name,
      label: config.label,
      embedDim: config.embedDim,
      parametersM: millions(dinov2ParameterCount(config)),
      gmacs: giga(dinov2ForwardMacs(config)),
    };
  });
  return { jit, mta, encoders };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd());
}
