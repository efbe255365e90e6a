// Checks of flag values that know the model zoo: presets by name, JiT config fields by key.
import { mtaPresets } from '@pixelrepa/adapter';
import { jitPresets, type JiTConfig } from '@pixelrepa/jit';

/** `--model`: a JiT preset name. */
export function jitPresetName(value: unknown): string | undefined {
  return typeof value === 'string' && value in jitPresets
    ? undefined
    : `must be a JiT preset: ${Object.keys(jitPresets).join(', ')} (pixelrepa info lists them); got "${String(value)}"`;
}

/** `--mta`: a Masked Transformer Adapter preset name. */
export function mtaPresetName(value: unknown): string | undefined {
  return typeof value === 'string' && value in mtaPresets ? undefined : `must be an MTA preset: ${Object.keys(mtaPresets).join(', ')}; got "${String(value)}"`;
}

/** Fields of JiTConfig that may be fractions (the others are whole numbers). */
const fractionFields = new Set<keyof JiTConfig>(['mlpRatio', 'attnDrop', 'projDrop']);
const jitFields = Object.keys(jitPresets['JiT-B/16']) as (keyof JiTConfig)[];

/** `--model_overrides`: a JSON object of known JiT config fields with numbers ≥ 0 (whole where they count things). */
export function jitOverrides(value: unknown): string | undefined {
  const accepts = `takes a JSON object of JiT config fields (${jitFields.join(', ')}), e.g. '{"depth": 2, "hiddenSize": 96}'`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${accepts}; got ${JSON.stringify(value)}`;
  for (const [key, field] of Object.entries(value)) {
    if (!jitFields.includes(key as keyof JiTConfig)) return `has an unknown field "${key}": it ${accepts}`;
    const whole = !fractionFields.has(key as keyof JiTConfig);
    if (typeof field !== 'number' || !Number.isFinite(field) || field < 0 || (whole && !Number.isInteger(field))) {
      return `field "${key}" must be ${whole ? 'a whole number' : 'a number'} ≥ 0, got ${JSON.stringify(field)}`;
    }
  }
  return undefined;
}

/** A list of whole numbers (class labels). */
export function wholeNumbers(value: unknown): string | undefined {
  return Array.isArray(value) && value.every((item) => Number.isInteger(item))
    ? undefined
    : `takes whole numbers (e.g. 0,1,2), got ${Array.isArray(value) ? value.join(',') : String(value)}`;
}
