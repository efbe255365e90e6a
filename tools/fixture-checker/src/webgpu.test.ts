import { beforeAll, expect, it } from 'vitest';
import { initBackend, type BackendInfo } from '@pixelrepa/tensor';
import { describeWithFixtures, fixturesRoot } from '@pixelrepa/tensor/testing';
import { runChecks } from './run.js';

/**
 * The model's numerics on WebGPU in Node: Dawn (npm `webgpu`), which on a machine without a GPU
 * runs its OpenGL ES backend on Mesa llvmpipe. These kinds pass within the fixtures' own
 * tolerances, no widening: on llvmpipe the worst error is 13–16 % of what each case allows
 * (jit-forward final_layer 1.3e-6 of 1e-5, mta-forward out 1.1e-6 of 1e-5, sample-euler fs_0.v
 * 1.4e-6 of 1.0e-5, pixelrepa-loss grad of final_layer.linear.weight 1.5e-5 of 1e-4). WebGPU
 * computes in float32 like the reference; only the order of the sums differs.
 */
const kinds = ['jit_forward', 'mta_forward', 'sample_euler', 'pixelrepa_training_loss'];
const cases = ['jit-forward', 'mta-forward', 'sample-euler', 'pixelrepa-loss'];

const setUp = 'WebGPU in Node needs the "webgpu" package (npm install) and, without a GPU, Mesa: run `bash scripts/ci/system-packages.sh` as root';

describeWithFixtures('check-fixtures on webgpu (Dawn in Node)', cases, () => {
  let backend: BackendInfo | undefined;
  let failure: unknown;

  beforeAll(async () => {
    try {
      backend = await initBackend('webgpu');
    } catch (error) {
      failure = error;
    }
    // CI has what this needs, so there a backend that does not come up is a failure, never a skip.
    if (failure && process.env.CI) throw new Error(`${setUp}: ${String(failure)}`, { cause: failure });
    if (failure) console.warn(`webgpu fixture checks skipped: ${String(failure)}\n${setUp}`);
  });

  it.for(kinds)("%s passes within the fixture's tolerances", async (kind, context) => {
    if (!backend) context.skip();
    const lines: string[] = [];
    const summary = await runChecks({ root: fixturesRoot(), backend: 'webgpu', cases: [kind], log: (line) => lines.push(line) });
    const failures = lines.filter((line) => line.includes('FAIL'));
    expect(failures, failures.join('\n')).toEqual([]);
    expect(summary.cases.map((outcome) => `${outcome.kind}: ${outcome.status}`)).toEqual([`${kind}: passed`]);
  });
});
