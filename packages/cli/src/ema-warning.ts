import type { SamplingHints } from '@pixelrepa/train/node';

/**
 * A warning when the EMA chosen for sampling is still mostly the weights the run started from:
 * after n updates with decay d, a share dⁿ of it is the starting weights. Above one half, the
 * samples look like noise or flat colour.
 */
export function emaWarning(hints: SamplingHints, threshold = 0.5): string | undefined {
  if (!hints.ema) return undefined;
  const { weights, decay, updates } = hints.ema;
  const initial = decay ** updates;
  if (!(initial > threshold)) return undefined;
  const flag = weights === 'model_ema1' ? '--ema_decay1' : '--ema_decay2';
  const halfLife = Math.ceil(Math.log(0.5) / Math.log(decay));
  return [
    `warning: ${weights} (decay ${decay}) has had ${updates} update${updates === 1 ? '' : 's'}, so ${(100 * initial).toFixed(0)} % of it is still the weights the run started from;`,
    `its samples will look untrained. Sample with --weights model (the trained weights), train past ~${halfLife} steps,`,
    `or train short runs with a smaller ${flag} (e.g. 0.99 or 0.999, as --recipe quickstart does).`,
  ].join('\n');
}
