import { describe, expect, it } from 'vitest';
import { defaultTrainConfig, referenceRun, resolveTrainConfig } from '@pixelrepa/train';
import type { FlagValues } from '../flags.js';
import { ignoredOnResume, trainConfigFromFlags } from './train-config.js';
import { flagFields } from './train-fields.js';
import { trainFlags } from './train-flags.js';

const defaults = Object.fromEntries(Object.entries(trainFlags).map(([name, flag]) => [name, (flag as { default?: unknown }).default])) as FlagValues<
  typeof trainFlags
>;
const withoutUndefined = (object: object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

describe('train flags and the recipe table', () => {
  it("no flags give exactly the library's reference run (defaultTrainConfig + referenceRun)", () => {
    const fromFlags = resolveTrainConfig({ ...withoutUndefined(trainConfigFromFlags(defaults)), steps: 10 } as Parameters<typeof resolveTrainConfig>[0]);
    const library = resolveTrainConfig({ ...referenceRun, steps: 10, modelOverrides: {} });
    expect(fromFlags).toEqual(library);
    expect(fromFlags.betas).toEqual(defaultTrainConfig.betas);
  });

  it('every mapped flag sets its field; a resumed run ignores changed run-defining flags but not --steps', () => {
    const values = { ...defaults, seed: 7, batch_size: 4, ema_decay1: 0.5, steps: 3 };
    const config = trainConfigFromFlags(values);
    expect(config).toMatchObject({ seed: 7, batchSize: 4, ema_decay1: 0.5, steps: 3 });
    for (const field of Object.values(flagFields)) expect(field in config, field).toBe(true);
    const saved = resolveTrainConfig({ ...withoutUndefined(trainConfigFromFlags(defaults)), steps: 10 } as Parameters<typeof resolveTrainConfig>[0]);
    expect(ignoredOnResume(new Set(['seed', 'steps', 'batch_size']), config, saved)).toEqual(['--seed', '--batch_size']);
  });
});
