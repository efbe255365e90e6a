import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { bufferContext } from '../test-support/harness.js';

describe('pixelrepa info', () => {
  it("says which backend starts and why another does not, with the presets' sizes and GMACs (JSON)", async () => {
    const { context, stdout } = bufferContext(process.cwd());
    expect(await runCli(['info', '--json', '--backend', 'cpu'], context)).toBe(0);
    const info = JSON.parse(stdout());
    expect(info.backends).toEqual([expect.objectContaining({ name: 'cpu', starts: true })]);
    const jit = Object.fromEntries(info.presets.jit.map((p: { name: string }) => [p.name, p]));
    expect(jit['JiT-B/16']).toMatchObject({ parametersM: 131.1, gmacs: 25.22, depth: 12, hiddenSize: 768 });
    expect(jit['JiT-H/16']).toMatchObject({ parametersM: 952.5 });
    expect(info.presets.mta.find((p: { name: string }) => p.name === 'MTA-B/16')).toMatchObject({ depth: 2, parametersM: 24 });
    expect(info.presets.encoders.find((p: { name: string }) => p.name === 'dinov2-vitb14')).toMatchObject({ embedDim: 768, parametersM: 85.9 });

    const node = bufferContext(process.cwd());
    expect(await runCli(['info', '--backend', 'node'], node.context)).toBe(0);
    expect(node.stdout()).toMatch(/node\s+no\s+.*@tensorflow\/tfjs-node/);
    expect(node.stdout()).toContain('JiT-Tiny/4');
  });
});
