// `npm start` (examples/quickstart) and `pixelrepa train --recipe <name>` read one recipe table
// (@pixelrepa/train's trainRecipes); this checks that what each program resolves is the same run.
// (A repository check may read an example; no package does.)
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine, planTrainRun, trainCommand } from '@pixelrepa/cli';
import { jitConfig, type JiTConfig } from '@pixelrepa/jit';
import { peakLearningRate, resolveTrainConfig } from '@pixelrepa/train';
import { bundledFashionMnist, encoderFiles, openQuickstartData } from '../../../examples/quickstart/src/datasets.js';
import { quickstartTrainConfig, type QuickstartData } from '../../../examples/quickstart/src/recipe.js';

const cwd = mkdtempSync(join(tmpdir(), 'recipe-parity-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const cases: Array<{ recipe: string; data: QuickstartData }> = [
  { recipe: 'quickstart', data: 'fashion-mnist' },
  { recipe: 'quickstart-procedural', data: 'procedural' },
];

describe.each(cases)('pixelrepa train --recipe $recipe and npm start -- --data $data', ({ recipe, data }) => {
  const plan = planTrainRun(parseCommandLine(trainCommand.spec, ['--recipe', recipe], { cwd }), cwd);
  const quickstart = quickstartTrainConfig({ data });
  const model = (config: { model: string | JiTConfig; modelOverrides?: Partial<JiTConfig> }) => jitConfig(config.model as string, config.modelOverrides);

  it('train the same model with the same schedule, batch, learning rate and EMA decays', () => {
    expect(model(plan.config)).toEqual(model(quickstart));
    const cli = resolveTrainConfig({ ...plan.config, steps: plan.config.steps! });
    const qs = resolveTrainConfig(quickstart);
    expect({ ...cli, modelOverrides: undefined }).toEqual({ ...qs, modelOverrides: undefined });
    expect(peakLearningRate(cli)).toBe(peakLearningRate(qs));
  });

  it('train on the same data, aligned to the same encoder file', () => {
    const { values } = plan;
    expect(realpathSync(values.encoder)).toBe(realpathSync(encoderFiles[data]));
    const opened = openQuickstartData(data, {});
    if (data === 'fashion-mnist') {
      expect(values.data).toBe('fashion-mnist');
      expect(values.data_split).toBe(opened.split);
      expect(opened.description).toContain(`the copy in examples/quickstart/assets`);
      expect(realpathSync(values.data_path!)).toBe(realpathSync(bundledFashionMnist));
    } else {
      expect(values.data).toBe('procedural');
      expect(values.data_length).toBe(opened.source.length);
    }
  });
});
